#include "workload/job_csv_reader.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>

#include "core/utc_timestamp.hpp"
#include "workload/log_fields.hpp"

namespace mlcycle {
namespace {

// A field the traces leave without a value: empty, "None" (pandas), "NaN".
bool missing_value(std::string_view text) {
  if (text.empty()) return true;
  if (text[0] != 'N' && text[0] != 'n') return false;  // the common case, in one comparison
  return text == "None" || text == "NaN" || text == "nan";
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Slurm's state names and the synonyms public traces use, lower case.
std::optional<LoggedState> common_state(std::string_view text) {
  static const std::map<std::string, LoggedState, std::less<>> kNames = {
      {"completed", LoggedState::completed},
      {"pass", LoggedState::completed},
      {"done", LoggedState::completed},
      {"finished", LoggedState::completed},
      {"succeeded", LoggedState::completed},
      {"success", LoggedState::completed},
      {"failed", LoggedState::failed},
      {"fail", LoggedState::failed},
      {"exit", LoggedState::failed},
      {"error", LoggedState::failed},
      {"boot_fail", LoggedState::failed},
      {"cancelled", LoggedState::cancelled},
      {"canceled", LoggedState::cancelled},
      {"killed", LoggedState::cancelled},
      {"timeout", LoggedState::timeout},
      {"node_fail", LoggedState::node_fail},
      {"out_of_memory", LoggedState::out_of_memory},
      {"preempted", LoggedState::preempted},
      {"running", LoggedState::running},
      {"pending", LoggedState::pending},
      {"waiting", LoggedState::pending},
      {"queued", LoggedState::pending}};
  const std::string key = lower(text.substr(0, text.find(' ')));
  const auto it = kNames.find(key);
  if (it == kNames.end()) return std::nullopt;
  return it->second;
}

}  // namespace

const std::vector<std::string>& job_csv_fields() {
  static const std::vector<std::string> kFields = {
      "id",    "submit", "start", "end",     "duration",  "wait",     "gpus",
      "nodes", "state",  "user",  "account", "partition", "gpu_type", "walltime"};
  return kFields;
}

std::optional<LoggedState> logged_state_named(std::string_view name) {
  for (int k = 0; k < kLoggedStateCount; ++k)
    if (logged_state_name(static_cast<LoggedState>(k)) == name) return static_cast<LoggedState>(k);
  return std::nullopt;
}

JobCsvReader::JobCsvReader(std::string path, JobCsvOptions options)
    : path_(std::move(path)), options_(std::move(options)), in_(path_) {
  const std::vector<std::string>& fields = job_csv_fields();
  for (const auto& [field, name] : options_.columns)
    if (std::find(fields.begin(), fields.end(), field) == fields.end()) {
      std::string known;
      for (const std::string& f : fields) known += (known.empty() ? "" : ", ") + f;
      throw InputError(options_.where, "columns." + field,
                       "is not a field of the job-log form (" + known + ")");
    }
  const auto mapped = [&](const char* field) { return options_.columns.count(field) > 0; };
  for (const char* field : {"submit", "gpus"})
    if (!mapped(field))
      throw InputError(options_.where, "columns",
                       std::string("names no column for ") + field + " (required)");
  if (!mapped("duration") && !(mapped("start") && mapped("end")))
    throw InputError(options_.where, "columns",
                     "names neither duration nor start and end: the run times are unknown");
  if (!(options_.gpu_units > 0) || !std::isfinite(options_.gpu_units))
    throw InputError(options_.where, "gpu_units", "must be > 0");
  if (!in_.is_open()) throw InputError({path_, 0, 0}, "log", "cannot be read");
  if (!read_record()) throw InputError({path_, 0, 0}, "log", "is empty: no CSV header");
  header_.assign(fields_.begin(), fields_.end());
  for (const auto& [field, name] : options_.columns) {
    const auto it = std::find(header_.begin(), header_.end(), name);
    if (it == header_.end()) {
      std::string have;
      for (const std::string& h : header_) have += (have.empty() ? "" : ", ") + h;
      throw InputError(
          {path_, line_, 1}, "columns." + field,
          "the file has no column '" + one_line(name) + "' (its columns: " + one_line(have) + ")");
    }
    const auto f = std::find(fields.begin(), fields.end(), field) - fields.begin();
    column_of_[static_cast<std::size_t>(f)] = static_cast<std::size_t>(it - header_.begin());
  }
}

// One line as CSV fields: commas separate, a quoted field may hold commas and "" (a quote).
bool JobCsvReader::read_record() {
  while (in_.next(text_)) {
    line_ = in_.line_number();
    if (line_ == 1 && text_.starts_with("\xEF\xBB\xBF")) text_.remove_prefix(3);  // UTF-8 BOM
    if (text_.find_first_not_of(" \t,") == std::string_view::npos) continue;
    // Unquoted fields are views into the line: no copy, no allocation per field.
    fields_.clear();
    field_starts_.clear();
    std::size_t quoted = 0;
    std::size_t i = 0;
    const auto blank = [this](std::size_t at) {
      return at < text_.size() && (text_[at] == ' ' || text_[at] == '\t');
    };
    while (true) {
      field_starts_.push_back(i);
      while (blank(i)) ++i;
      if (i < text_.size() && text_[i] == '"') {
        if (quoted == quoted_.size()) quoted_.emplace_back();
        std::string& field = quoted_[quoted++];
        field.clear();
        ++i;
        while (true) {
          if (i >= text_.size())
            throw InputError({path_, line_, static_cast<int>(field_starts_.back()) + 1}, "record",
                             "a quoted field runs past the end of its line");
          if (text_[i] == '"') {
            if (i + 1 < text_.size() && text_[i + 1] == '"') {
              field += '"';
              i += 2;
              continue;
            }
            ++i;
            break;
          }
          field += text_[i++];
        }
        fields_.emplace_back(field);
        while (blank(i)) ++i;
        if (i < text_.size() && text_[i] != ',')
          throw InputError({path_, line_, static_cast<int>(i) + 1}, "record",
                           "text after a quoted field's closing quote");
      } else {
        const std::size_t end = std::min(text_.find(',', i), text_.size());
        std::size_t last = end;
        while (last > i && (text_[last - 1] == ' ' || text_[last - 1] == '\t')) --last;
        fields_.push_back(text_.substr(i, last - i));
        i = end;
      }
      if (i >= text_.size()) break;
      ++i;  // the comma
    }
    return true;
  }
  return false;
}

void JobCsvReader::fail(std::size_t column, const std::string& message) const {
  const int at = column < field_starts_.size() ? static_cast<int>(field_starts_[column]) + 1 : 1;
  throw InputError({path_, line_, at}, column < header_.size() ? header_[column] : "record",
                   message);
}

std::optional<double> JobCsvReader::time_at(std::size_t column) const {
  const std::string_view text = fields_[column];
  if (missing_value(text) || text == "Unknown") return std::nullopt;
  if (options_.time == LogTimeFormat::iso) {
    const std::optional<double> t = parse_utc_timestamp(text);
    if (!t) fail(column, in_quotes(text) + " is not an ISO-8601 time");
    const bool has_zone = text.back() == 'Z' || text.back() == 'z' ||
                          text.find('+', 10) != std::string_view::npos ||
                          text.find('-', 10) != std::string_view::npos;
    return has_zone ? *t : *t - options_.utc_offset_s;
  }
  const std::optional<double> value = parse_log_number(text);
  if (!value) fail(column, in_quotes(text) + " is not a number of seconds");
  const double t = options_.time == LogTimeFormat::unix ? *value : options_.start_unix_s + *value;
  if (t < 0 || t > kMaxUnixSeconds)
    fail(column, in_quotes(text) + " is out of range (1970 to the end of 9999)");
  return t;
}

std::optional<double> JobCsvReader::duration_at(std::size_t column) const {
  const std::string_view text = fields_[column];
  if (missing_value(text)) return std::nullopt;
  const std::optional<double> value = parse_log_number(text);
  if (!value || *value < 0) fail(column, in_quotes(text) + " is not a duration >= 0");
  if (*value * options_.duration_unit_s > kMaxLogSeconds)
    fail(column, in_quotes(text) + " is out of range (at most 1,000 years)");
  return *value * options_.duration_unit_s;
}

bool JobCsvReader::next(LoggedJob& job) {
  if (!read_record()) return false;
  if (fields_.size() != header_.size())
    throw InputError({path_, line_, 1}, "record",
                     "has " + std::to_string(fields_.size()) + " fields, the header " +
                         std::to_string(header_.size()));
  job.reset();  // keeps its strings' buffers
  job.line = line_;
  const auto text = [&](Field field) -> const std::string_view* {
    const std::optional<std::size_t> c = column(field);
    return c ? &fields_[*c] : nullptr;
  };
  if (const std::string_view* id = text(Field::id)) job.id = *id;
  if (job.id.empty()) {  // the line, when the log has no id
    char digits[16];
    job.id.assign(digits, std::to_chars(digits, digits + sizeof digits, line_).ptr);
  }
  const std::size_t submit_column = *column(Field::submit);
  const std::optional<double> submit = time_at(submit_column);
  if (!submit) fail(submit_column, "is empty: every job has a submit time");
  job.submit_s = *submit;
  // An empty GPU field is a task without GPUs (PAI's CPU-only tasks).
  const std::size_t gpus_column = *column(Field::gpus);
  const std::string_view gpu_text = fields_[gpus_column];
  const std::optional<double> units = gpu_text.empty() ? 0.0 : parse_log_number(gpu_text);
  if (!units || *units < 0) fail(gpus_column, in_quotes(gpu_text) + " is not a GPU count >= 0");
  job.gpus = static_cast<std::uint32_t>(
      std::min(std::ceil(*units / options_.gpu_units - 1e-9), 4294967295.0));
  if (const std::optional<std::size_t> c = column(Field::nodes); c && !fields_[*c].empty()) {
    const std::optional<std::uint32_t> nodes = parse_log_count(fields_[*c]);
    if (!nodes) fail(*c, in_quotes(fields_[*c]) + " is not a count of nodes");
    job.nodes = *nodes;
  }
  if (const std::string_view* state = text(Field::state)) {
    const auto mapped = options_.states.find(*state);
    job.state = mapped != options_.states.end() ? mapped->second
                                                : common_state(*state).value_or(LoggedState::other);
  } else {
    job.state = LoggedState::completed;
  }
  if (const std::string_view* user = text(Field::user)) job.user = *user;
  if (const std::string_view* account = text(Field::account)) job.account = *account;
  if (const std::string_view* partition = text(Field::partition)) job.partition = *partition;
  if (const std::string_view* type = text(Field::gpu_type)) job.gpu_type = *type;
  if (const std::optional<std::size_t> c = column(Field::walltime))
    job.walltime_s = duration_at(*c);
  // The run: start and end, or submit + wait and a duration.
  const std::optional<std::size_t> start_column = column(Field::start);
  if (start_column) job.start_s = time_at(*start_column);
  std::optional<double> duration;
  if (const std::optional<std::size_t> c = column(Field::duration)) duration = duration_at(*c);
  if (!job.start_s && duration && !start_column) {
    double wait = 0;
    if (const std::optional<std::size_t> c = column(Field::wait))
      wait = duration_at(*c).value_or(0.0);
    job.start_s = job.submit_s + wait;
  }
  if (!job.start_s || job.state == LoggedState::pending) {
    if (job.state != LoggedState::cancelled) job.state = LoggedState::pending;
    job.start_s.reset();
    return true;
  }
  if (const std::optional<std::size_t> c = column(Field::end)) {
    job.end_s = time_at(*c);
    if (job.end_s && *job.end_s < *job.start_s) {
      std::string message = in_quotes(fields_[*c]) + " is before the job's start";
      if (start_column) message += " " + in_quotes(fields_[*start_column]);
      fail(*c, message);
    }
  }
  if (!job.end_s && duration) job.end_s = *job.start_s + *duration;
  if (!job.end_s && !column(Field::state)) job.state = LoggedState::running;
  if (*job.start_s < job.submit_s) {
    job.start_s = job.submit_s;
    job.start_before_submit = true;
    if (job.end_s && *job.end_s < *job.start_s) job.end_s = job.start_s;
  }
  return true;
}

}  // namespace mlcycle
