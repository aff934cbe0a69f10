#include "workload/llm_replica.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "core/number_text.hpp"
#include "core/special_values.hpp"

namespace mlcycle {

namespace {

bool positive(double x) {
  return x > 0 && std::isfinite(x);
}

// Gigabytes (1e9 bytes, as GPU memory is sold) to one decimal.
std::string gb(double bytes) {
  return shortest_text(std::round(bytes / 1e8) / 10) + " GB";
}

}  // namespace

TokenMix token_mix(std::span<const RequestSegment> segments) {
  if (segments.empty()) throw std::invalid_argument("token mix: no request segment");
  double shares = 0, input = 0, output = 0, context_weighted = 0;
  for (const RequestSegment& s : segments) {
    if (!positive(s.share) || !positive(s.input_tokens) || !positive(s.output_tokens))
      throw std::invalid_argument("token mix: shares and token counts must be positive");
    shares += s.share;
    input += s.share * s.input_tokens;
    output += s.share * s.output_tokens;
    // E[O (I + O / 2)]: with fixed counts O (I + O / 2), else from the segment's moments.
    context_weighted += std::isnan(s.input_output_tokens)
                            ? s.share * s.output_tokens * (s.input_tokens + s.output_tokens / 2)
                            : s.share * (s.input_output_tokens + s.output_tokens_squared / 2);
  }
  return TokenMix{input / shares, output / shares, context_weighted / output};
}

LlmReplica::LlmReplica(const LlmModelSpec& model, const LlmReplicaSpec& replica)
    : model_(model), replica_(replica) {
  const bool valid = positive(model.params) && positive(model.active_params) &&
                     model.active_params <= model.params && positive(model.bytes_per_param) &&
                     positive(model.kv_bytes_per_token) && replica.tensor_parallel >= 1 &&
                     positive(replica.peak_flops) && positive(replica.memory_bytes) &&
                     positive(replica.memory_bytes_per_s) && positive(replica.compute_efficiency) &&
                     replica.compute_efficiency <= 1 && positive(replica.bandwidth_efficiency) &&
                     replica.bandwidth_efficiency <= 1 && replica.decode_power_fraction >= 0 &&
                     replica.decode_power_fraction <= 1 && replica.memory_reserve >= 0 &&
                     replica.memory_reserve < 1 && replica.max_batch >= 1 && replica.idle_w >= 0 &&
                     replica.host_w >= 0 && std::isfinite(replica.busy_w) &&
                     replica.busy_w >= replica.idle_w && replica.cap_time_factor >= 1 &&
                     std::isfinite(replica.cap_time_factor) && replica.cap_w > replica.idle_w;
  if (!valid) throw std::invalid_argument("LLM replica: a figure out of its range");
  const double gpus = replica.tensor_parallel;
  weight_bytes_ = model.params * model.bytes_per_param;
  usable_bytes_ = gpus * replica.memory_bytes * (1 - replica.memory_reserve);
  flops_per_s_ = gpus * replica.peak_flops * replica.compute_efficiency / replica.cap_time_factor;
  bytes_per_s_ = gpus * replica.memory_bytes_per_s * replica.bandwidth_efficiency;
  const std::string holds =
      std::to_string(replica.tensor_parallel) + " GPU" + (replica.tensor_parallel == 1 ? "" : "s") +
      " of " + gb(replica.memory_bytes) + (replica.tensor_parallel == 1 ? " holds " : " hold ") +
      gb(usable_bytes_) + " after the " + shortest_text(replica.memory_reserve * 100) +
      " % reserve";
  if (weight_bytes_ >= usable_bytes_)
    throw InputError(replica.where, replica.key,
                     "the model does not fit: its weights take " + gb(weight_bytes_) + ", " +
                         holds + ": " + gb(weight_bytes_ - usable_bytes_) +
                         " missing (more tensor_parallel, fewer bytes_per_param, or a larger GPU)");
  kv_capacity_tokens_ = (usable_bytes_ - weight_bytes_) / model.kv_bytes_per_token;
  if (kv_capacity_tokens_ < 1)
    throw InputError(
        replica.where, replica.key,
        "no room for a KV cache: the weights take " + gb(weight_bytes_) + " and " + holds);
}

double LlmReplica::prefill_s(double input_tokens) const {
  return 2 * model_.active_params * input_tokens / flops_per_s_;
}

double LlmReplica::decode_step_s(double batch, double context_tokens) const {
  const double memory_s =
      (weight_bytes_ + context_tokens * model_.kv_bytes_per_token) / bytes_per_s_;
  const double compute_s = 2 * model_.active_params * batch / flops_per_s_;
  return std::max(memory_s, compute_s);
}

double LlmReplica::crossover_batch(double context_per_sequence) const {
  // W / B + b c kv / B = 2 N_active b / F  =>  b = (W / B) / (2 N_active / F - c kv / B)
  const double flop_s_per_sequence = 2 * model_.active_params / flops_per_s_;
  const double read_s_per_sequence =
      context_per_sequence * model_.kv_bytes_per_token / bytes_per_s_;
  if (flop_s_per_sequence <= read_s_per_sequence) return kInfinity;
  return (weight_bytes_ / bytes_per_s_) / (flop_s_per_sequence - read_s_per_sequence);
}

double LlmReplica::batch_limit(double context_per_sequence) const {
  return std::min<double>(replica_.max_batch,
                          std::floor(kv_capacity_tokens_ / context_per_sequence));
}

double LlmReplica::saturation_batch(double context_per_sequence) const {
  return std::min(batch_limit(context_per_sequence), crossover_batch(context_per_sequence));
}

double LlmReplica::capacity_per_s(const TokenMix& mix) const {
  if (batch_limit(mix.batch_context_tokens) < 1) return 0;  // not one sequence's context fits
  // Decode throughput b / t_d grows up to the crossover and is flat past it: the batch
  // saturates at the limit or at the crossover, whichever comes first.
  const double b_sat = saturation_batch(mix.batch_context_tokens);
  const double step_s = decode_step_s(b_sat, b_sat * mix.batch_context_tokens);
  return 1 / (prefill_s(mix.input_tokens) + mix.output_tokens * step_s / b_sat);
}

LlmOperatingPoint LlmReplica::at(double requests_per_s, const TokenMix& mix) const {
  if (!(requests_per_s >= 0) || !std::isfinite(requests_per_s) || !positive(mix.input_tokens) ||
      !positive(mix.output_tokens) || !positive(mix.batch_context_tokens))
    throw std::invalid_argument("LLM replica: a rate or token count out of its range");
  LlmOperatingPoint point;
  point.requests_per_s = requests_per_s;
  point.static_w = replica_.tensor_parallel * (replica_.idle_w + replica_.host_w);
  point.power_w = point.static_w;
  const double capacity_per_s_now = capacity_per_s(mix);
  if (capacity_per_s_now == 0) {
    // Not one sequence fits: nothing is served, the GPUs only hold the model.
    point.overloaded = requests_per_s > 0;
    point.utilization = point.overloaded ? kInfinity : 0;
    point.step_s = point.wait_s = point.ttft_s = point.tpot_s = kInfinity;
    point.joules_per_output_token = kInfinity;
    return point;
  }
  const double prefill_s_mean = prefill_s(mix.input_tokens);
  const double c = mix.batch_context_tokens;
  point.utilization = requests_per_s / capacity_per_s_now;
  double served_per_s = requests_per_s;
  double bytes_per_step = 0;
  if (requests_per_s >= capacity_per_s_now) {
    // Saturated: the replica serves its capacity at the saturation batch; the rest queues.
    point.overloaded = true;
    served_per_s = capacity_per_s_now;
    point.batch = saturation_batch(c);
    point.step_s = decode_step_s(point.batch, point.batch * c);
    point.prefill_share = served_per_s * prefill_s_mean;
    point.decode_share = 1 - point.prefill_share;
    point.wait_s = kInfinity;
    bytes_per_step = weight_bytes_ + point.batch * c * model_.kv_bytes_per_token;
  } else {
    point.prefill_share = requests_per_s * prefill_s_mean;
    const double k = requests_per_s * mix.output_tokens / (1 - point.prefill_share);
    const double one_step_s = decode_step_s(1, c);
    if (k * one_step_s <= 1) {
      // Light load: one sequence at a time, idle between. The mean batch is Little's law on
      // the decode (lambda O x TPOT), so it meets the heavy branch's at b = 1.
      point.step_s = one_step_s;
      point.decode_share = requests_per_s * mix.output_tokens * one_step_s;
      point.batch = point.decode_share / (1 - point.prefill_share);
      bytes_per_step = weight_bytes_ + c * model_.kv_bytes_per_token;
    } else {
      // Below capacity the batch stays on the memory-bound branch (docs/llm-serving.md).
      const double a_s = weight_bytes_ / bytes_per_s_;
      const double beta_s = c * model_.kv_bytes_per_token / bytes_per_s_;
      point.batch = k * a_s / (1 - k * beta_s);
      point.step_s = decode_step_s(point.batch, point.batch * c);
      point.decode_share = 1 - point.prefill_share;
      bytes_per_step = weight_bytes_ + point.batch * c * model_.kv_bytes_per_token;
    }
    // A prompt waits for the decode step under way (half a step on average) or, during
    // prefills, for the prefill queue (M/D/1: rho t / (2 (1 - rho))).
    point.wait_s = point.decode_share * point.step_s / 2 +
                   point.prefill_share * prefill_s_mean / (2 * (1 - point.prefill_share));
  }
  point.ttft_s = point.wait_s + prefill_s_mean;
  point.tpot_s = point.step_s / (1 - point.prefill_share);
  const double gpus = replica_.tensor_parallel;
  point.compute_utilization = served_per_s * 2 * model_.active_params *
                              (mix.input_tokens + mix.output_tokens) / (gpus * replica_.peak_flops);
  point.memory_utilization = point.step_s > 0 && std::isfinite(point.step_s)
                                 ? point.decode_share / point.step_s * bytes_per_step /
                                       (gpus * replica_.memory_bytes_per_s)
                                 : 0;
  point.output_tokens_per_s = served_per_s * mix.output_tokens;
  // Activity: prefills at full power; decode steps at delta plus their compute-bound share.
  const double compute_share =
      std::isfinite(point.step_s) && point.step_s > 0
          ? 2 * model_.active_params * std::max(point.batch, 1.0) / flops_per_s_ / point.step_s
          : 0;
  const double delta = replica_.decode_power_fraction;
  point.activity = point.prefill_share + point.decode_share * (delta + (1 - delta) * compute_share);
  if (std::isinf(replica_.cap_w)) {
    point.power_w = point.static_w + gpus * (replica_.busy_w - replica_.idle_w) * point.activity;
  } else {
    // Under a cap each phase draws at most cap_w: prefills all of it, decode steps their own
    // draw up to it (the engine keeps a memory-bound step's below it).
    const double idle_w = replica_.idle_w, range_w = replica_.busy_w - replica_.idle_w;
    const double prefill_w = std::min(replica_.busy_w, replica_.cap_w);
    const double decode_w =
        std::min(idle_w + range_w * (delta + (1 - delta) * compute_share), replica_.cap_w);
    point.power_w = point.static_w + gpus * (point.prefill_share * (prefill_w - idle_w) +
                                             point.decode_share * (decode_w - idle_w));
  }
  point.joules_per_output_token =
      point.output_tokens_per_s > 0 ? point.power_w / point.output_tokens_per_s : kInfinity;
  return point;
}

LlmReplica LlmReplica::capped(double cap_w, double time_factor) const {
  LlmReplicaSpec replica = replica_;
  replica.cap_w = cap_w;
  replica.cap_time_factor = time_factor;
  return LlmReplica(model_, replica);
}

}  // namespace mlcycle
