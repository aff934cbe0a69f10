#include "workload/llm_measured.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "core/number_text.hpp"
#include "core/special_values.hpp"

namespace mlcycle {

MeasuredLlmReplica::MeasuredLlmReplica(const LlmMeasuredTable& table, const LlmReplicaSpec& replica)
    : table_(table),
      gpu_idle_w_(replica.tensor_parallel * replica.idle_w),
      host_w_(replica.tensor_parallel * replica.host_w) {
  if (table_.points.empty()) throw std::invalid_argument("measured LLM replica: no row");
  if (!(host_w_ >= 0)) throw std::invalid_argument("measured LLM replica: negative host power");
  // Every row draws at least the idle power (rows may fall below one another, not below it).
  for (const LlmMeasuredPoint& row : table_.points)
    if (gpu_idle_w_ > row.power_w)
      throw InputError(replica.where, replica.key,
                       "the idle power of its " + std::to_string(replica.tensor_parallel) +
                           " GPU(s), " + shortest_text(gpu_idle_w_) + " W, is more than the " +
                           shortest_text(row.power_w) + " W measured at batch " +
                           shortest_text(row.batch) + " (" + table_.path + " line " +
                           std::to_string(row.line) + "): give idle_w per GPU");
}

double MeasuredLlmReplica::capacity_per_s(const TokenMix& mix) const {
  const double last = table_.points.back().throughput_per_s;
  return table_.throughput_in_requests ? last : last / mix.output_tokens;
}

double MeasuredLlmReplica::latency_at(double batch, double LlmMeasuredPoint::*column) const {
  const auto& points = table_.points;
  if (batch <= points.front().batch) return points.front().*column;
  if (batch >= points.back().batch) return points.back().*column;
  const auto upper =
      std::upper_bound(points.begin(), points.end(), batch,
                       [](double b, const LlmMeasuredPoint& p) { return b < p.batch; });
  const LlmMeasuredPoint& hi = *upper;
  const LlmMeasuredPoint& lo = *(upper - 1);
  const double f = (batch - lo.batch) / (hi.batch - lo.batch);
  return lo.*column + f * (hi.*column - lo.*column);
}

LlmOperatingPoint MeasuredLlmReplica::at(double requests_per_s, const TokenMix& mix) const {
  if (!(requests_per_s >= 0) || !std::isfinite(requests_per_s) || !(mix.output_tokens > 0) ||
      !std::isfinite(mix.output_tokens))
    throw std::invalid_argument("measured LLM replica: a rate or token count out of its range");
  LlmOperatingPoint point;
  point.requests_per_s = requests_per_s;
  point.static_w = gpu_idle_w_ + host_w_;
  point.prefill_share = point.decode_share = kNaN;
  point.compute_utilization = point.memory_utilization = kNaN;
  const double capacity_per_s_now = capacity_per_s(mix);
  point.utilization = requests_per_s / capacity_per_s_now;
  // The last row is a measured steady state: overloaded only past it.
  point.overloaded = requests_per_s > capacity_per_s_now;
  const double served_per_s = std::min(requests_per_s, capacity_per_s_now);
  const double rate =
      table_.throughput_in_requests ? served_per_s : served_per_s * mix.output_tokens;
  // The segment [lo, hi] that holds the rate, the origin (0, 0, static) below the first row.
  const auto& points = table_.points;
  const auto upper =
      std::lower_bound(points.begin(), points.end(), rate,
                       [](const LlmMeasuredPoint& p, double r) { return p.throughput_per_s < r; });
  const LlmMeasuredPoint& hi = upper == points.end() ? points.back() : *upper;
  LlmMeasuredPoint lo{0, 0, gpu_idle_w_};
  if (upper != points.begin() && upper != points.end()) lo = *(upper - 1);
  const double f = upper == points.end()
                       ? 1.0
                       : (rate - lo.throughput_per_s) / (hi.throughput_per_s - lo.throughput_per_s);
  point.batch = lo.batch + f * (hi.batch - lo.batch);
  point.power_w = lo.power_w + f * (hi.power_w - lo.power_w) + host_w_;
  point.output_tokens_per_s = served_per_s * mix.output_tokens;
  // Little's law on the decode: b sequences share lambda O tokens a second. At no load, the
  // first segment's slope (b over r is constant on it).
  const double tokens_per_batch_s =
      point.batch > 0 ? point.output_tokens_per_s / point.batch
                      : points.front().throughput_per_s / points.front().batch *
                            (table_.throughput_in_requests ? mix.output_tokens : 1.0);
  point.tpot_s =
      table_.has_tpot ? latency_at(point.batch, &LlmMeasuredPoint::tpot_s) : 1 / tokens_per_batch_s;
  point.step_s = point.tpot_s;
  point.ttft_s = point.overloaded  ? kInfinity
                 : table_.has_ttft ? latency_at(point.batch, &LlmMeasuredPoint::ttft_s)
                                   : kNaN;
  point.wait_s = point.ttft_s;
  // Activity: the share of the capacity in use (a table gives no finer account of it).
  point.activity = std::min(point.utilization, 1.0);
  point.joules_per_output_token =
      point.output_tokens_per_s > 0 ? point.power_w / point.output_tokens_per_s : kInfinity;
  return point;
}

}  // namespace mlcycle
