#include "scenario/work_reader.hpp"

#include <cmath>

namespace mlcycle {

namespace {

// A positive, finite count (FLOPs, parameters, tokens, ...); 0 when absent.
double positive(TomlTableReader& t, std::string_view key) {
  auto value = t.number(key);
  if (!value) return 0;
  if (!(*value > 0)) throw t.error_at(key, "must be greater than zero");
  if (!std::isfinite(*value)) throw t.error_at(key, "must be finite");
  return *value;
}

}  // namespace

WorkSpec read_work(TomlTableReader& t) {
  WorkSpec work;
  work.where = t.location_of_key("flops");
  work.flops = positive(t, "flops");
  work.params = positive(t, "params");
  work.tokens = positive(t, "tokens");
  work.layers = positive(t, "layers");
  work.context = positive(t, "context");
  work.d_model = positive(t, "d_model");
  t.reject_unknown_keys();
  const bool attention = work.layers > 0 || work.context > 0 || work.d_model > 0;
  if (work.flops > 0) {
    for (const char* other : {"params", "tokens", "layers", "context", "d_model"})
      if (t.has(other)) throw t.error_at(other, "give 'flops', or 'params' and 'tokens', not both");
    return work;
  }
  if (work.params == 0 && work.tokens == 0)
    throw t.error_here("give 'flops', or 'params' and 'tokens' (6 x params x tokens)");
  if (work.params == 0) throw t.error_here("missing key 'params' (the model's parameters)");
  if (work.tokens == 0) throw t.error_here("missing key 'tokens' (training tokens)");
  if (attention && !(work.layers > 0 && work.context > 0 && work.d_model > 0))
    throw t.error_here("the attention term needs 'layers', 'context' and 'd_model' together");
  return work;
}

}  // namespace mlcycle
