#pragma once
// What the serving model asks of an LLM replica (workload/replica_model.hpp), whether it comes
// from first principles (workload/llm_replica.hpp) or from measured operating points
// (workload/llm_measured.hpp): its capacity for a request mix and its steady state at a rate.
#include <span>

#include "scenario/llm_spec.hpp"

namespace mlcycle {

// The request mix as the replica sees it: mean tokens in and out per request, and the mean
// context of a sequence in the decode batch, where each request stays O steps with I + O/2
// tokens on average: c = sum(s_i O_i (I_i + O_i / 2)) / sum(s_i O_i), with the segment's
// E[O (I + O / 2)] = E[I O] + E[O^2] / 2 in place of O_i (I_i + O_i / 2) when its tokens vary
// (RequestSegment): long answers hold the batch longer, so they weigh more.
struct TokenMix {
  double input_tokens = 0;
  double output_tokens = 0;
  double batch_context_tokens = 0;
};

// std::invalid_argument for no segment, a share or token count that is not positive.
TokenMix token_mix(std::span<const RequestSegment> segments);

// A replica's steady state at one arrival rate (per replica). From a measured table
// (workload/llm_measured.hpp), wait_s is the table's whole TTFT and what a table cannot tell
// (prefill and decode shares, FLOP and byte utilizations) is NaN.
struct LlmOperatingPoint {
  double requests_per_s = 0;
  double utilization = 0;          // lambda / lambda_max
  bool overloaded = false;         // lambda >= lambda_max: the queue grows, TTFT has no bound
  double batch = 0;                // mean sequences decoding at once
  double step_s = 0;               // one decode step, at max(batch, 1)
  double prefill_share = 0;        // of the time
  double decode_share = 0;         // of the time; the rest is idle
  double wait_s = 0;               // before a prompt's prefill starts (mean)
  double ttft_s = 0;               // time to first token of the mean request: wait + t_p(I)
  double tpot_s = 0;               // time per output token: a step, stretched by prefills between
  double compute_utilization = 0;  // achieved FLOP/s / peak of all the replica's GPUs
  double memory_utilization = 0;   // bytes read / s / peak bandwidth of all its GPUs
  double output_tokens_per_s = 0;
  double activity = 0;  // a, averaged over the time (0 idle, 1 busy power)
  double power_w = 0;   // the replica's GPUs and their nodes' share: static_w + activity's part
  double static_w = 0;  // the GPUs' idle power and the nodes' share, drawn whatever the load
  double joules_per_output_token = 0;  // power_w / output tokens a second
};

class LlmServer {
 public:
  virtual ~LlmServer() = default;
  // Requests a second one replica serves at most with this mix (0: not one fits).
  virtual double capacity_per_s(const TokenMix& mix) const = 0;
  virtual LlmOperatingPoint at(double requests_per_s, const TokenMix& mix) const = 0;
  // The time to first token of a request of `input_tokens` when prompts wait `wait_s`
  // (LlmOperatingPoint::wait_s) before theirs starts.
  virtual double first_token_s(double wait_s, double input_tokens) const = 0;
};

}  // namespace mlcycle
