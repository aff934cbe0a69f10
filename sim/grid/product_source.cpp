#include "grid/product_source.hpp"

#include <algorithm>

namespace mlcycle {

ProductSource::ProductSource(std::shared_ptr<const StepTimeline> a,
                             std::shared_ptr<const StepTimeline> b)
    : a_(std::move(a)), b_(std::move(b)) {}

double ProductSource::extend(double from_s, double to_s, StepAppender& out) {
  // As far as both factors are known (a trace may end before to_s).
  a_->ensure(from_s);
  b_->ensure(from_s);
  to_s = std::min({to_s, a_->known_until_s(), b_->known_until_s()});
  const auto& ta = a_->start_s();
  const auto& tb = b_->start_s();
  auto ia = std::upper_bound(ta.begin(), ta.end(), from_s) - ta.begin();
  auto ib = std::upper_bound(tb.begin(), tb.end(), from_s) - tb.begin();
  out.add(from_s, a_->value_at(from_s) * b_->value_at(from_s));
  while (true) {
    const double next_a = static_cast<std::size_t>(ia) < ta.size() ? ta[ia] : to_s;
    const double next_b = static_cast<std::size_t>(ib) < tb.size() ? tb[ib] : to_s;
    const double t = std::min(next_a, next_b);
    if (t >= to_s) break;
    if (next_a == t) ++ia;
    if (next_b == t) ++ib;
    out.add(t, a_->values()[ia - 1] * b_->values()[ib - 1]);
  }
  return to_s;
}

}  // namespace mlcycle
