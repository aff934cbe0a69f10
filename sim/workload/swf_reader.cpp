#include "workload/swf_reader.hpp"

#include <cmath>

#include "core/input_error.hpp"
#include "core/number_text.hpp"
#include "workload/log_fields.hpp"

namespace mlcycle {
namespace {

constexpr std::size_t kSwfFields = 18;
const char* const kFieldNames[kSwfFields] = {"job number",
                                             "submit time",
                                             "wait time",
                                             "run time",
                                             "allocated processors",
                                             "average CPU",
                                             "used memory",
                                             "requested processors",
                                             "requested time",
                                             "requested memory",
                                             "status",
                                             "user",
                                             "group",
                                             "executable",
                                             "queue",
                                             "partition",
                                             "preceding job",
                                             "think time"};

LoggedState swf_state(double status) {
  if (status == 1 || status == 3) return LoggedState::completed;
  if (status == 0 || status == 2 || status == 4) return LoggedState::failed;
  if (status == 5) return LoggedState::cancelled;
  return LoggedState::other;
}

std::string id_text(double value) {
  return std::to_string(static_cast<std::uint64_t>(value));
}

// Upper bounds of the fields read: ids below 2^53 (exact in a double), times and durations
// below kMaxLogSeconds, processors below 2^40.
constexpr double kMaxId = 9007199254740992.0;
constexpr double kMaxProcessors = 1099511627776.0;

}  // namespace

SwfReader::SwfReader(std::string path, SwfOptions options)
    : path_(std::move(path)),
      options_(options),
      in_(path_, std::ios::binary),
      start_unix_s_(options.start_unix_s) {
  if (!in_) throw InputError({path_, 0, 0}, "log", "cannot be read");
  if (!(options_.processors_per_gpu > 0) || !std::isfinite(options_.processors_per_gpu))
    throw InputError({"command line", 0, 0}, "processors_per_gpu", "must be > 0");
}

void SwfReader::fail(std::size_t field, const std::string& message) const {
  const int column = field >= 1 && field <= fields_.size()
                         ? static_cast<int>(fields_[field - 1].data() - text_.data()) + 1
                         : 1;
  throw InputError({path_, line_, column},
                   field >= 1 && field <= kSwfFields ? kFieldNames[field - 1] : "record", message);
}

double SwfReader::number(std::size_t field) const {
  const std::optional<double> value = parse_log_number(fields_[field - 1]);
  if (!value) fail(field, in_quotes(fields_[field - 1]) + " is not a number");
  return *value;
}

bool SwfReader::next(LoggedJob& job) {
  while (std::getline(in_, text_)) {
    ++line_;
    if (!text_.empty() && text_.back() == '\r') text_.pop_back();
    const std::size_t first = text_.find_first_not_of(" \t");
    if (first == std::string::npos) continue;
    if (text_[first] == ';') {
      // "; UnixStartTime: 1104566400" anchors the log's times, if it comes before any job.
      const std::string_view comment = std::string_view(text_).substr(first + 1);
      const std::size_t key = comment.find("UnixStartTime:");
      if (key != std::string_view::npos && !jobs_seen_) {
        std::string_view value = comment.substr(key + 14);
        value.remove_prefix(std::min(value.size(), value.find_first_not_of(" \t")));
        value = value.substr(0, value.find_first_of(" \t"));
        const std::optional<double> start = parse_log_number(value);
        if (!start || *start < 0 || *start > kMaxUnixSeconds)
          throw InputError(
              {path_, line_, static_cast<int>(value.data() - text_.data()) + 1}, "UnixStartTime",
              in_quotes(value) + " is not a number of seconds since 1970 (before 10000)");
        start_unix_s_ = *start;
      }
      continue;
    }
    jobs_seen_ = true;
    fields_.clear();
    std::string_view rest(text_);
    while (true) {
      const std::size_t begin = rest.find_first_not_of(" \t");
      if (begin == std::string_view::npos) break;
      rest.remove_prefix(begin);
      const std::size_t end = rest.find_first_of(" \t");
      fields_.push_back(rest.substr(0, end));
      if (end == std::string_view::npos) break;
      rest.remove_prefix(end);
    }
    if (fields_.size() != kSwfFields)
      throw InputError({path_, line_, 1}, "record",
                       "has " + std::to_string(fields_.size()) + " fields: an SWF record has 18");
    job = LoggedJob{};
    job.line = line_;
    // Every field read is -1 (unknown) or within its range; ids are whole numbers.
    const auto field = [&](std::size_t k, double max, bool whole) {
      const double value = number(k);
      if (value == -1) return value;
      if (value < 0)
        fail(k, "is negative (" + one_line(fields_[k - 1]) + "): -1 is the only unknown");
      if (value > max || (whole && value != std::floor(value)))
        fail(k, in_quotes(fields_[k - 1]) + " is out of range (" +
                    (whole ? "a whole number " : "") + "at most " + shortest_text(max) + ")");
      return value;
    };
    const double id = field(1, kMaxId, true);
    if (id == -1) fail(1, "is unknown (-1): every job has a number");
    job.id = id_text(id);
    const double submit = field(2, kMaxLogSeconds, false), wait = field(3, kMaxLogSeconds, false),
                 run = field(4, kMaxLogSeconds, false);
    if (submit == -1) fail(2, "is unknown (-1): every job has a submit time");
    job.submit_s = start_unix_s_ + submit;
    const double allocated = field(5, kMaxProcessors, false);
    const double processors = allocated != -1 ? allocated : field(8, kMaxProcessors, false);
    job.gpus = processors <= 0
                   ? 0
                   : static_cast<std::uint32_t>(std::min(
                         std::ceil(processors / options_.processors_per_gpu), 4294967295.0));
    if (const double requested = field(9, kMaxLogSeconds, false); requested > 0)
      job.walltime_s = requested;
    const double status = field(11, 5, true);
    job.state = swf_state(status);
    const double user = field(12, kMaxId, true), group = field(13, kMaxId, true),
                 queue = field(15, kMaxId, true), partition = field(16, kMaxId, true);
    if (user >= 0) job.user = id_text(user);
    if (group >= 0) job.account = id_text(group);
    if (partition >= 0)
      job.partition = id_text(partition);
    else if (queue >= 0)
      job.partition = id_text(queue);
    const bool never_started = run == -1 || (job.state == LoggedState::cancelled && run == 0);
    if (never_started) {
      if (job.state != LoggedState::cancelled) job.state = LoggedState::pending;
      return true;
    }
    job.start_s = job.submit_s + (wait == -1 ? 0 : wait);
    job.end_s = *job.start_s + run;
    return true;
  }
  return false;
}

}  // namespace mlcycle
