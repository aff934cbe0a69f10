#pragma once
// How much slower a GPU computes under a power cap: the run-time factor as a piecewise-linear
// function of the cap as a fraction of the GPU's busy power. A platform gives it as the
// property `power_cap_curve = "0.5:1.45, 0.6:1.21, ..., 1:1"` (fraction:factor pairs); without
// one, the default below applies. See docs/carbon-aware.md (Power capping) for its source.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mlcycle {

// The default for data-centre GPUs: the medians over five training workloads (BERT on SQuAD at
// two batch sizes and on Sentiment140 at two, ResNet-50 on ImageNet) of the epoch time under
// nvidia-smi power limits of 100 to 200 W on a V100, relative to its 250 W limit, each limit
// taken as a fraction of the workload's own uncapped average draw (220-228 W), from the traces
// released with You, Chung and Chowdhury, "Zeus", NSDI 2023 (docs/carbon-aware.md has the
// table). At the draw itself (a 225 W limit, 1.01 of it) they ran 2 % slower; 1:1 is uncapped.
inline constexpr std::string_view kDefaultPowerCapCurve =
    "0.45:1.88, 0.56:1.44, 0.67:1.21, 0.78:1.11, 0.9:1.06, 1:1";

class PowerCapCurve {
 public:
  struct Point {
    double fraction = 1;     // cap / busy power, in (0, 1]
    double time_factor = 1;  // run time under the cap / run time uncapped, >= 1
  };

  // Parses "f:t, f:t, ...": fractions strictly increasing in (0, 1], the last one 1 with factor
  // 1; factors >= 1 and not increasing with the fraction (a higher cap is never slower). On bad
  // text returns nothing and says why in `error`.
  static std::optional<PowerCapCurve> parse(std::string_view text, std::string& error);
  static const PowerCapCurve& default_curve();

  // The lowest cap the curve covers.
  double min_fraction() const { return points_.front().fraction; }
  // Linear between the points; 1 at and above a fraction of 1. `fraction` >= min_fraction().
  double time_factor(double fraction) const;
  const std::vector<Point>& points() const { return points_; }
  bool operator==(const PowerCapCurve& other) const;

 private:
  std::vector<Point> points_;
};

}  // namespace mlcycle
