#include "scenario/llm_reader.hpp"

#include <algorithm>
#include <string>
#include <utility>

#include "core/limits.hpp"
#include "core/number_text.hpp"
#include "scenario/llm_measured_csv.hpp"
#include "scenario/request_tokens_csv.hpp"
#include "scenario/token_distribution.hpp"

namespace mlcycle {

namespace {

// Far past any model or context that exists, near enough to keep every product finite.
constexpr double kMaxParams = 1e15;

double bounded(TomlTableReader& t, std::string_view key, double fallback, double max) {
  const double value = t.positive_number(key, fallback);
  if (value > max) throw t.error_at(key, "at most " + shortest_text(max));
  return value;
}

// A share of something: in (0, 1], or [0, 1] when zero means "none".
double fraction(TomlTableReader& t, std::string_view key, double fallback, bool zero_allowed) {
  const std::optional<double> value = t.number(key);
  if (!value) return fallback;
  const bool ok = (zero_allowed ? *value >= 0 : *value > 0) && *value <= 1;
  if (!ok) throw t.error_at(key, zero_allowed ? "must be in [0, 1]" : "must be in (0, 1]");
  return *value;
}

void read_model(TomlTableReader& t, LlmModelSpec& model) {
  if (!t.has("params")) throw t.error_here("missing key 'params' (the model's weights, e.g. 7e9)");
  model.params = bounded(t, "params", 0, kMaxParams);
  model.active_params = bounded(t, "active_params", model.params, kMaxParams);
  if (model.active_params > model.params)
    throw t.error_at("active_params", "is more than params (" + shortest_text(model.params) + ")");
  model.bytes_per_param = bounded(t, "bytes_per_param", 2, 8);
  const bool shape = t.has("layers") || t.has("kv_heads") || t.has("head_dim");
  if (t.has("kv_bytes_per_token") && shape)
    throw t.error_at("kv_bytes_per_token", "give it or layers, kv_heads and head_dim, not both");
  if (t.has("kv_bytes_per_token")) {
    model.kv_bytes_per_token = bounded(t, "kv_bytes_per_token", 0, 1e9);
    return;
  }
  if (!shape)
    throw t.error_here(
        "missing the KV cache: kv_bytes_per_token, or layers, kv_heads and head_dim");
  for (const char* key : {"layers", "kv_heads", "head_dim"})
    if (!t.has(key)) throw t.error_here(std::string("missing key '") + key + "'");
  const std::uint64_t layers = t.positive_integer("layers", 1);
  const std::uint64_t kv_heads = t.positive_integer("kv_heads", 1);
  const std::uint64_t head_dim = t.positive_integer("head_dim", 1);
  for (auto [key, value] :
       {std::pair{"layers", layers}, {"kv_heads", kv_heads}, {"head_dim", head_dim}})
    if (value > 100000) throw t.error_at(key, "at most 100000");
  const double bytes_per_value = bounded(t, "kv_bytes_per_value", 2, 8);
  model.kv_bytes_per_token =
      kv_bytes_per_token(static_cast<std::uint32_t>(layers), static_cast<std::uint32_t>(kv_heads),
                         static_cast<std::uint32_t>(head_dim), bytes_per_value);
}

void read_replica_figures(TomlTableReader& t, LlmServingSpec& llm) {
  LlmReplicaSpec& r = llm.replica;
  const std::uint64_t tp = t.positive_integer("tensor_parallel", 1);
  if (tp > static_cast<std::uint64_t>(limits::kMaxCoresPerHost))
    throw t.error_at("tensor_parallel", "at most " + std::to_string(limits::kMaxCoresPerHost));
  r.tensor_parallel = static_cast<std::uint32_t>(tp);
  llm.gpu = t.string("gpu").value_or("");
  llm.gpu_where = t.location_of_key("gpu");
  // Given figures win over the catalog's; without a gpu all three are needed.
  if (t.has("peak_tflops")) r.peak_flops = 1e12 * bounded(t, "peak_tflops", 0, 1e6);
  if (t.has("memory_gb")) r.memory_bytes = 1e9 * bounded(t, "memory_gb", 0, 1e6);
  if (t.has("memory_tbps")) r.memory_bytes_per_s = 1e12 * bounded(t, "memory_tbps", 0, 1e6);
  if (llm.gpu.empty())
    for (const char* key : {"peak_tflops", "memory_gb", "memory_tbps"})
      if (!t.has(key))
        throw t.error_here(std::string("missing key '") + key +
                           "' (or give gpu, an accelerator of the hardware catalog)");
  if (t.has("idle_w")) llm.idle_w = t.non_negative_number("idle_w", 0);
  if (t.has("busy_w")) llm.busy_w = t.positive_number("busy_w", 0);
  if (llm.idle_w && llm.busy_w && *llm.busy_w < *llm.idle_w)
    throw t.error_at("busy_w", "must not be less than idle_w");
  r.compute_efficiency = fraction(t, "compute_efficiency", r.compute_efficiency, false);
  r.bandwidth_efficiency = fraction(t, "bandwidth_efficiency", r.bandwidth_efficiency, false);
  r.decode_power_fraction = fraction(t, "decode_power_fraction", r.decode_power_fraction, true);
  r.memory_reserve = fraction(t, "memory_reserve", r.memory_reserve, true);
  if (r.memory_reserve >= 1) throw t.error_at("memory_reserve", "must be less than 1");
  const std::uint64_t max_batch = t.positive_integer("max_batch", r.max_batch);
  if (max_batch > 1000000) throw t.error_at("max_batch", "at most 1000000");
  r.max_batch = static_cast<std::uint32_t>(max_batch);
}

// A segment's tokens in or out: a count, or a distribution `{ dist = "lognormal", mean, sd }` or
// `{ dist = "uniform", min, max }` (quantiles empty for a count).
TokenMoments read_tokens(TomlTableReader& s, const char* key) {
  if (!s.has(key)) throw s.error_here(std::string("missing key '") + key + "'");
  const toml::node* node = s.node(key);
  if (!node->is_table()) {
    const double count = bounded(s, key, 0, kMaxRequestTokens);
    return TokenMoments{count, count * count, {}};  // no points: a fixed count
  }
  TomlTableReader d(*node->as_table(), s.path_of(key), s.file());
  const std::string dist = d.string("dist").value_or("");
  TokenMoments moments;
  if (dist == "lognormal") {
    for (const char* k : {"mean", "sd"})
      if (!d.has(k)) throw d.error_here(std::string("missing key '") + k + "'");
    moments = lognormal_tokens(bounded(d, "mean", 0, kMaxRequestTokens),
                               bounded(d, "sd", 0, kMaxRequestTokens));
  } else if (dist == "uniform") {
    for (const char* k : {"min", "max"})
      if (!d.has(k)) throw d.error_here(std::string("missing key '") + k + "'");
    const double low = bounded(d, "min", 0, kMaxRequestTokens);
    const double high = bounded(d, "max", 0, kMaxRequestTokens);
    if (high < low) throw d.error_at("max", "is less than min (" + shortest_text(low) + ")");
    moments = uniform_tokens(low, high);
  } else {
    throw dist.empty() ? d.error_here("missing key 'dist' (\"lognormal\" or \"uniform\")")
                       : d.error_at("dist", in_quotes(dist) +
                                                " is not a distribution of tokens (known: "
                                                "lognormal, uniform)");
  }
  d.reject_unknown_keys();
  return moments;
}

RequestSegment read_segment(TomlTableReader& s, const std::filesystem::path& base_dir) {
  RequestSegment segment;
  segment.name = s.string("name").value_or("");
  segment.share = s.positive_number("share", 1);
  if (const std::optional<std::string> file = s.string("tokens_file")) {
    for (const char* key : {"input_tokens", "output_tokens"})
      if (s.has(key))
        throw s.error_at(key, "give tokens_file or input_tokens and output_tokens, not both");
    std::filesystem::path path(*file);
    if (path.is_relative()) path = base_dir / path;
    if (const std::string why = not_a_file(path); !why.empty())
      throw s.error_at("tokens_file", why);
    read_request_tokens_csv(path.lexically_normal().string(), segment);
    return segment;
  }
  const TokenMoments input = read_tokens(s, "input_tokens");
  const TokenMoments output = read_tokens(s, "output_tokens");
  segment.input_tokens = input.mean;
  segment.output_tokens = output.mean;
  if (!input.points.empty() || !output.points.empty()) {
    // Drawn independently: E[I O] = E[I] E[O].
    segment.input_output_tokens = input.mean * output.mean;
    segment.output_tokens_squared = output.mean_square;
    segment.input_points = input.points;
  }
  return segment;
}

void read_segments(TomlTableReader& t, LlmServingSpec& llm, const std::filesystem::path& base_dir) {
  const toml::array* list = t.array("segments");
  if (!list) {
    // One kind of request: its tokens in the llm table itself.
    llm.segments.push_back(read_segment(t, base_dir));
    return;
  }
  if (t.has("input_tokens") || t.has("output_tokens") || t.has("tokens_file"))
    throw t.error_at("segments",
                     "give segments or the tokens (input_tokens and output_tokens, or "
                     "tokens_file), not both");
  if (list->empty()) throw t.error_at("segments", "is empty: give at least one segment");
  for (std::size_t i = 0; i < list->size(); ++i) {
    const std::string key = "segments[" + std::to_string(i) + "]";
    const toml::table* entry = list->get(i)->as_table();
    if (!entry) throw t.error_at("segments", key + " is not a table");
    TomlTableReader s(*entry, t.path_of(key), t.file());
    llm.segments.push_back(read_segment(s, base_dir));
    s.reject_unknown_keys();
  }
}

// The keys of the roofline (the model's shape, the GPU's figures, efficiencies), which a
// measured table replaces.
constexpr const char* kRooflineKeys[] = {"params",
                                         "active_params",
                                         "bytes_per_param",
                                         "kv_bytes_per_token",
                                         "layers",
                                         "kv_heads",
                                         "head_dim",
                                         "kv_bytes_per_value",
                                         "peak_tflops",
                                         "memory_gb",
                                         "memory_tbps",
                                         "compute_efficiency",
                                         "bandwidth_efficiency",
                                         "decode_power_fraction",
                                         "memory_reserve",
                                         "max_batch",
                                         "busy_w"};

// `measured`: the replica from the rows of an operating-point CSV whose model, gpu and
// tensor_parallel are the table's.
void read_measured(TomlTableReader& t, LlmServingSpec& llm, const std::filesystem::path& base_dir) {
  for (const char* key : kRooflineKeys)
    if (t.has(key))
      throw t.error_at(key,
                       "not used with 'measured': the table gives the replica's throughput "
                       "and power");
  if (llm.model_name.empty()) throw t.error_here("missing key 'model' (the table's rows to use)");
  const std::uint64_t tp = t.positive_integer("tensor_parallel", 1);
  if (tp > static_cast<std::uint64_t>(limits::kMaxCoresPerHost))
    throw t.error_at("tensor_parallel", "at most " + std::to_string(limits::kMaxCoresPerHost));
  llm.replica.tensor_parallel = static_cast<std::uint32_t>(tp);
  const std::optional<std::string> gpu = t.string("gpu");
  if (!gpu) throw t.error_here("missing key 'gpu' (the table's rows to use)");
  if (t.has("idle_w")) llm.idle_w = t.non_negative_number("idle_w", 0);
  std::filesystem::path path(*t.string("measured"));
  if (path.is_relative()) path = base_dir / path;
  if (const std::string why = not_a_file(path); !why.empty()) throw t.error_at("measured", why);
  llm.measured = read_llm_measured_csv(path.lexically_normal().string(), llm.model_name, *gpu,
                                       llm.replica.tensor_parallel, t.location_of_key("model"),
                                       t.path_of("model"));
}

}  // namespace

void read_llm(TomlTableReader& d, ServingSpec& spec, const std::filesystem::path& base_dir) {
  const toml::table* table = d.table("llm");
  if (!table) return;
  if (d.has("replica"))
    throw d.error_at("replica",
                     "give replica (its latency and power) or llm (in tokens), not both");
  if (d.has("latency_target_ms"))
    throw d.error_at("latency_target_ms",
                     "an llm deployment's targets are llm.ttft_target_ms and llm.tpot_target_ms");
  TomlTableReader t(*table, d.path_of("llm"), d.file());
  LlmServingSpec llm;
  llm.replica.key = d.path_of("llm");
  llm.replica.where = d.location_of_key("llm");
  llm.model_name = t.string("model").value_or("");
  if (t.has("measured")) {
    if (d.has("power_cap"))
      throw d.error_at("power_cap",
                       "a measured table has no rows under a power cap: cap a replica derived "
                       "from the model (no `measured`), or measure capped rows");
    read_measured(t, llm, base_dir);
  } else {
    read_model(t, llm.model);
    read_replica_figures(t, llm);
  }
  read_segments(t, llm, base_dir);
  if (t.has("ttft_target_ms") && llm.measured && !llm.measured->has_ttft)
    throw t.error_at("ttft_target_ms",
                     "the measured table has no ttft_s column: no TTFT to hold to a target");
  if (t.has("ttft_target_ms")) llm.ttft_target_ms = t.positive_number("ttft_target_ms", 0);
  if (t.has("tpot_target_ms")) llm.tpot_target_ms = t.positive_number("tpot_target_ms", 0);
  t.reject_unknown_keys();
  spec.replica.gpus = llm.replica.tensor_parallel;
  spec.replica.llm = std::move(llm);
}

void resolve_llm_gpus(std::vector<DeploymentSpec>& deployments, const HardwareCatalog& catalog) {
  for (DeploymentSpec& d : deployments) {
    if (!d.serving.replica.llm || d.serving.replica.llm->gpu.empty() ||
        d.serving.replica.llm->measured)
      continue;
    LlmServingSpec& llm = *d.serving.replica.llm;
    const AcceleratorSpec* gpu = catalog.accelerator(llm.gpu);
    if (!gpu)
      throw InputError(llm.gpu_where, llm.replica.key + ".gpu",
                       "unknown accelerator " + in_quotes(llm.gpu) +
                           " (known: " + catalog.accelerator_ids() + ")");
    LlmReplicaSpec& r = llm.replica;
    // Inference runs in 16-bit: the larger of the BF16 and FP16 dense peaks.
    if (r.peak_flops == 0) r.peak_flops = 1e12 * std::max(gpu->bf16_tflops, gpu->fp16_tflops);
    if (r.memory_bytes == 0) r.memory_bytes = 1e9 * gpu->memory_gb;
    if (r.memory_bytes_per_s == 0) r.memory_bytes_per_s = 1e12 * gpu->memory_tbps;
    if (!(r.peak_flops > 0) || !(r.memory_bytes > 0) || !(r.memory_bytes_per_s > 0))
      throw InputError(llm.gpu_where, r.key + ".gpu",
                       in_quotes(llm.gpu) +
                           " has no 16-bit peak, memory or bandwidth in the catalog: give "
                           "peak_tflops, memory_gb and memory_tbps");
  }
}

}  // namespace mlcycle
