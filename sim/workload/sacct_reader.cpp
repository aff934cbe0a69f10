#include "workload/sacct_reader.hpp"

#include <algorithm>

#include "core/input_error.hpp"
#include "core/utc_timestamp.hpp"
#include "workload/log_fields.hpp"

namespace mlcycle {
namespace {

std::optional<std::size_t> find_column(const std::vector<std::string>& header,
                                       std::string_view name) {
  const auto it = std::find(header.begin(), header.end(), name);
  if (it == header.end()) return std::nullopt;
  return static_cast<std::size_t>(it - header.begin());
}

LoggedState sacct_state(std::string_view text) {
  // "CANCELLED by 1234": the first word is the state.
  text = text.substr(0, text.find(' '));
  if (text == "COMPLETED") return LoggedState::completed;
  if (text == "FAILED" || text == "BOOT_FAIL") return LoggedState::failed;
  if (text == "CANCELLED") return LoggedState::cancelled;
  if (text == "TIMEOUT" || text == "DEADLINE") return LoggedState::timeout;
  if (text == "NODE_FAIL") return LoggedState::node_fail;
  if (text == "OUT_OF_MEMORY") return LoggedState::out_of_memory;
  // A requeued job was stopped (preempted, or its node failed) and queued again: the record of
  // the run it did.
  if (text == "PREEMPTED" || text == "REQUEUED") return LoggedState::preempted;
  if (text == "RUNNING" || text == "SUSPENDED" || text == "COMPLETING") return LoggedState::running;
  if (text == "PENDING") return LoggedState::pending;
  return LoggedState::other;
}

bool no_time(std::string_view text) {
  return text.empty() || text == "Unknown" || text == "None";
}

}  // namespace

SacctReader::SacctReader(std::string path, SacctOptions options)
    : path_(std::move(path)), options_(options), in_(path_, std::ios::binary) {
  if (!in_) throw InputError({path_, 0, 0}, "log", "cannot be read");
  if (!read_line()) throw InputError({path_, 0, 0}, "log", "is empty: no sacct header");
  if (fields_.size() > 1 && fields_.back().empty()) fields_.pop_back();  // --parsable
  for (std::string_view name : fields_) header_.emplace_back(name);
  const auto required = [&](std::string_view name) {
    const std::optional<std::size_t> column = find_column(header_, name);
    if (!column)
      throw InputError({path_, line_, 1}, "header",
                       "has no field " + std::string(name) +
                           " (sacct --parsable2 --format=JobID,Submit,Start,End,Elapsed,State,"
                           "AllocTRES,ReqTRES,NNodes,Partition,Account,User,Timelimit)");
    return *column;
  };
  columns_.id = required("JobID");
  columns_.submit = required("Submit");
  columns_.start = required("Start");
  columns_.end = required("End");
  columns_.state = required("State");
  columns_.alloc_tres = find_column(header_, "AllocTRES");
  columns_.req_tres = find_column(header_, "ReqTRES");
  if (!columns_.alloc_tres && !columns_.req_tres)
    throw InputError({path_, line_, 1}, "header",
                     "has neither AllocTRES nor ReqTRES: the jobs' GPUs are unknown");
  columns_.elapsed = find_column(header_, "Elapsed");
  columns_.nnodes = find_column(header_, "NNodes");
  columns_.partition = find_column(header_, "Partition");
  columns_.account = find_column(header_, "Account");
  columns_.user = find_column(header_, "User");
  columns_.timelimit = find_column(header_, "Timelimit");
}

// The next non-blank line, split at '|'. sacct --parsable (without the 2) ends every line with
// a '|': one empty field more than the header, dropped by next().
bool SacctReader::read_line() {
  while (std::getline(in_, text_)) {
    ++line_;
    if (!text_.empty() && text_.back() == '\r') text_.pop_back();
    if (text_.find_first_not_of(" \t") == std::string::npos) continue;
    fields_.clear();
    std::string_view rest(text_);
    while (true) {
      const std::size_t bar = rest.find('|');
      fields_.push_back(rest.substr(0, bar));
      if (bar == std::string_view::npos) break;
      rest.remove_prefix(bar + 1);
    }
    return true;
  }
  return false;
}

void SacctReader::fail(std::size_t field, const std::string& message) const {
  const int column =
      field < fields_.size() ? static_cast<int>(fields_[field].data() - text_.data()) + 1 : 1;
  throw InputError({path_, line_, column}, field < header_.size() ? header_[field] : "record",
                   message);
}

std::optional<double> SacctReader::time_field(std::size_t field) const {
  const std::string_view text = fields_[field];
  if (no_time(text)) return std::nullopt;
  // sacct writes no offset: the text is local time, read as UTC and then shifted. A time that
  // carries its own offset (or Z) is taken as it says.
  const bool has_zone = text.back() == 'Z' || text.back() == 'z' ||
                        text.find('+', 10) != std::string_view::npos ||
                        text.find('-', 10) != std::string_view::npos;
  const std::optional<double> t = parse_utc_timestamp(text);
  if (!t) fail(field, in_quotes(text) + " is not a time (sacct's YYYY-MM-DDTHH:MM:SS)");
  return has_zone ? *t : *t - options_.utc_offset_s;
}

// "billing=8,cpu=8,gres/gpu=2,gres/gpu:a100=2,mem=64G,node=1".
void SacctReader::read_tres(std::string_view tres, std::size_t field, LoggedJob& job) const {
  std::optional<std::uint32_t> gpus, typed_gpus, nodes;
  while (!tres.empty()) {
    const std::size_t comma = tres.find(',');
    const std::string_view item = tres.substr(0, comma);
    tres = comma == std::string_view::npos ? std::string_view() : tres.substr(comma + 1);
    const std::size_t equals = item.find('=');
    if (equals == std::string_view::npos) continue;
    const std::string_view key = item.substr(0, equals), value = item.substr(equals + 1);
    const bool gpu_key = key == "gres/gpu" || key.starts_with("gres/gpu:");
    if (!gpu_key && key != "node") continue;
    const std::optional<std::uint32_t> count = parse_log_count(value);
    if (!count)
      fail(field, std::string(key) + "=" + one_line(value) +
                      ": not a count of 0 or more (GPUs < 0, or not a number)");
    if (key == "node") {
      nodes = count;
    } else if (key == "gres/gpu") {
      gpus = count;
    } else {
      typed_gpus =
          std::min<std::uint64_t>(std::uint64_t{typed_gpus.value_or(0)} + *count, 0xffffffffu);
      // Several types ("gres/gpu:a100=2,gres/gpu:v100=1"): all of them, joined by '+'.
      if (!job.gpu_type.empty()) job.gpu_type += '+';
      job.gpu_type += key.substr(9);
    }
  }
  job.gpus = gpus ? *gpus : typed_gpus.value_or(0);
  if (nodes) job.nodes = *nodes;
}

bool SacctReader::next(LoggedJob& job) {
  while (read_line()) {
    if (fields_.size() == header_.size() + 1 && fields_.back().empty()) fields_.pop_back();
    if (fields_.size() != header_.size())
      throw InputError({path_, line_, 1}, "record",
                       "has " + std::to_string(fields_.size()) + " fields, the header " +
                           std::to_string(header_.size()));
    const std::string_view id = fields_[columns_.id];
    if (id.empty()) fail(columns_.id, "is empty");
    // Job steps belong to the job on an earlier line.
    if (id.find('.') != std::string_view::npos) {
      ++steps_;
      continue;
    }
    job = LoggedJob{};
    job.id = std::string(id);
    job.line = line_;
    job.state = sacct_state(fields_[columns_.state]);
    const std::optional<double> submit = time_field(columns_.submit);
    if (!submit) fail(columns_.submit, "is missing: every job has a submit time");
    job.submit_s = *submit;
    job.start_s = time_field(columns_.start);
    job.end_s = time_field(columns_.end);
    const std::string_view alloc = columns_.alloc_tres ? fields_[*columns_.alloc_tres] : "";
    if (!alloc.empty())
      read_tres(alloc, *columns_.alloc_tres, job);
    else if (columns_.req_tres)
      read_tres(fields_[*columns_.req_tres], *columns_.req_tres, job);
    if (columns_.nnodes && !fields_[*columns_.nnodes].empty()) {
      const std::optional<std::uint32_t> nodes = parse_log_count(fields_[*columns_.nnodes]);
      if (!nodes) fail(*columns_.nnodes, "is not a count of nodes");
      job.nodes = *nodes;
    }
    if (columns_.partition) job.partition = std::string(fields_[*columns_.partition]);
    if (columns_.account) job.account = std::string(fields_[*columns_.account]);
    if (columns_.user) job.user = std::string(fields_[*columns_.user]);
    if (columns_.timelimit) job.walltime_s = parse_slurm_duration_s(fields_[*columns_.timelimit]);
    // A pending array range, or a job that never started: no Start, or (cancelled, or past its
    // deadline, while it waited) Start = End with nothing allocated.
    const bool array_range = id.find("_[") != std::string_view::npos;
    const bool never_allocated = columns_.alloc_tres && alloc.empty() && job.start_s && job.end_s &&
                                 *job.start_s == *job.end_s;
    if (array_range || job.state == LoggedState::pending || never_allocated || !job.start_s) {
      if (job.state != LoggedState::cancelled) job.state = LoggedState::pending;
      job.start_s.reset();
      job.end_s.reset();
      return true;
    }
    if (!job.end_s) {
      // No end: Elapsed is the run so far when sacct was called, from the logged start (a job
      // in another state without End keeps its state).
      if (columns_.elapsed) {
        if (const std::optional<double> ran = parse_slurm_duration_s(fields_[*columns_.elapsed]))
          job.end_s = *job.start_s + *ran;
      }
    } else if (*job.end_s < *job.start_s) {
      fail(columns_.end, in_quotes(fields_[columns_.end]) + " is before Start '" +
                             one_line(fields_[columns_.start]) + "'");
    }
    if (*job.start_s < job.submit_s) {
      // Clock skew between the controller's clocks: the job cannot have started before it was
      // submitted. Its end stays (the run is shorter by the skew).
      job.start_s = job.submit_s;
      job.start_before_submit = true;
      if (job.end_s && *job.end_s < *job.start_s) job.end_s = job.start_s;
    }
    return true;
  }
  return false;
}

}  // namespace mlcycle
