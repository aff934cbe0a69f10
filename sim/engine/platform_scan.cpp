#include "engine/platform_scan.hpp"

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>

#include "engine/xml_tags.hpp"

namespace mlcycle {

namespace {

std::optional<std::int64_t> integer(std::string_view text) {
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// A cluster's radical: "0-511" or "1,3,8-15". nullopt when it does not read (SimGrid reports
// it in the pre-flight).
std::optional<std::uint64_t> radical_count(const std::string& radical) {
  std::uint64_t count = 0;
  std::stringstream parts(radical);
  std::string part;
  while (std::getline(parts, part, ',')) {
    const std::size_t dash = part.find('-', 1);
    auto first = integer(part.substr(0, dash));
    auto last = dash == std::string::npos ? first : integer(part.substr(dash + 1));
    if (!first || !last) return std::nullopt;
    if (*last >= *first) count += static_cast<std::uint64_t>(*last - *first) + 1;
  }
  return count;
}

struct Zone {
  std::map<std::pair<std::string, std::string>, int> routes;  // (src, dst) -> line
  std::map<std::pair<std::string, std::string>, int> bypass_routes;
};

class PlatformScanner {
 public:
  PlatformScanner(std::string_view text, const std::string& path) : text_(text), path_(path) {
    scan_.simgrid_xml = std::string(text);
  }

  PlatformScan run() {
    scan_xml_tags(text_, path_, [this](const XmlTag& tag) { visit(tag); });
    return std::move(scan_);
  }

 private:
  [[noreturn]] void fail(int line, int column, const std::string& key,
                         const std::string& message) const {
    throw InputError(SourceLocation{path_, line, column}, key, message);
  }

  static std::string id_of(const XmlTag& tag) {
    const XmlAttribute* id = tag.find("id");
    return id ? id->value : std::string();
  }

  void visit(const XmlTag& tag) {
    if (tag.name == "zone" || tag.name == "AS") {
      if (tag.closing && !zones_.empty()) zones_.pop_back();
      if (!tag.closing && !tag.self_closing) zones_.emplace_back();
      return;
    }
    if (tag.closing) return;
    if (tag.name == "include" || tag.name == "trace" || tag.name == "trace_connect" ||
        tag.name == "peer")
      fail(tag.line, tag.column, "platform",
           "<" + tag.name +
               "> is not supported by mlcycle (it reads no file but the platform and its "
               "hosts' state_file and speed_file)");
    if (tag.name == "host") {
      count_hosts(tag, 1);
      attach_profiles(tag, "host");
    } else if (tag.name == "cluster") {
      const XmlAttribute* radical = tag.find("radical");
      if (auto count = radical_count(radical ? radical->value : "")) count_hosts(tag, *count);
    } else if (tag.name == "link") {
      attach_profiles(tag, "link");
    } else if (tag.name.find("oute") != std::string::npos) {
      check_route(tag);
    }
  }

  void count_hosts(const XmlTag& tag, std::uint64_t count) {
    const std::string key = tag.name + " " + id_of(tag);
    std::int64_t cores = 1;
    if (const XmlAttribute* core = tag.find("core")) {
      auto value = integer(core->value);
      if (value && *value < 1)
        fail(core->line, core->column, key + ": core",
             "a host has at least 1 core (one per GPU), got " + core->value);
      if (value && *value > kMaxCoresPerHost)
        fail(core->line, core->column, key + ": core",
             "at most " + std::to_string(kMaxCoresPerHost) + " cores (GPUs) per host, got " +
                 core->value);
      if (value) cores = *value;  // else SimGrid reports "is not an int" in the pre-flight
    }
    scan_.hosts += count;
    if (scan_.hosts > kMaxHosts)
      fail(tag.line, tag.column, key,
           "the platform would have " + std::to_string(scan_.hosts) + " hosts: at most " +
               std::to_string(kMaxHosts));
    scan_.gpus += count * static_cast<std::uint64_t>(cores);
    scan_.max_cores_per_host = std::max(scan_.max_cores_per_host, cores);
  }

  void check_route(const XmlTag& tag) {
    static const std::set<std::string> plain{"route", "zoneRoute", "ASroute"};
    static const std::set<std::string> bypass{"bypassRoute", "bypassZoneRoute", "bypassASroute"};
    const bool is_bypass = bypass.count(tag.name) > 0;
    if (zones_.empty() || (!is_bypass && !plain.count(tag.name))) return;
    const XmlAttribute* src = tag.find("src");
    const XmlAttribute* dst = tag.find("dst");
    if (!src || !dst) return;  // SimGrid's parser reports the missing attribute
    const XmlAttribute* symmetrical = tag.find("symmetrical");
    const bool both_ways =
        !is_bypass && !(symmetrical && (symmetrical->value == "NO" || symmetrical->value == "no"));
    auto& routes = is_bypass ? zones_.back().bypass_routes : zones_.back().routes;
    const std::string key = tag.name + " " + src->value + " -> " + dst->value;
    const auto there = routes.find({src->value, dst->value});
    if (there != routes.end())
      fail(tag.line, tag.column, key,
           "this route is already defined on line " + std::to_string(there->second) +
               (is_bypass ? "" : " (routes go both ways unless symmetrical=\"NO\")"));
    if (both_ways && src->value != dst->value) {
      const auto back = routes.find({dst->value, src->value});
      if (back != routes.end())
        fail(tag.line, tag.column, key,
             "the way back is already defined on line " + std::to_string(back->second) +
                 ": give this one symmetrical=\"NO\"");
    }
    routes.emplace(std::make_pair(src->value, dst->value), tag.line);
    if (both_ways) routes.emplace(std::make_pair(dst->value, src->value), tag.line);
  }

  void attach_profiles(const XmlTag& tag, const std::string& element) {
    const std::string id = id_of(tag);
    for (const XmlAttribute& a : tag.attributes) {
      const bool profile = a.name == "state_file" || a.name == "speed_file" ||
                           a.name == "bandwidth_file" || a.name == "latency_file" ||
                           a.name == "availability_file";
      if (!profile) continue;
      const std::string key = element + " " + id + ": " + a.name;
      // SimGrid 3.32 takes a link's profiles only before the link is sealed, that is from the
      // file it opens itself while parsing; mlcycle hands SimGrid only what it checked.
      if (element == "link")
        fail(a.line, a.column, key,
             "profiles on links are not supported by mlcycle (a host's state_file and "
             "speed_file are)");
      if (a.name == "availability_file")
        fail(a.line, a.column, key, "deprecated by SimGrid: use speed_file");
      const ProfileKind kind = a.name == "state_file" ? ProfileKind::state : ProfileKind::speed;
      const SourceLocation where{path_, a.line, a.column};
      // SimGrid reads an empty attribute as no profile.
      if (!a.value.empty())
        scan_.profiles.push_back(ProfileAttachment{element, id, a.name, kind,
                                                   read_profile(a.value, kind, key, where), where});
      // Blank the attribute, newlines kept, so that SimGrid never opens the file.
      for (std::size_t i = a.offset; i < a.offset + a.length; ++i)
        if (scan_.simgrid_xml[i] != '\n') scan_.simgrid_xml[i] = ' ';
    }
  }

  StateProfile read_profile(const std::string& file, ProfileKind kind, const std::string& key,
                            const SourceLocation& where) const {
    namespace fs = std::filesystem;
    fs::path path(file);
    const fs::path beside = fs::path(path_).parent_path() / path;
    std::error_code ignored;
    if (path.is_relative() && fs::exists(beside, ignored)) path = beside;
    if (fs::is_directory(path, ignored))
      throw InputError(where, key, "the profile file " + file + " is a directory");
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    if (in) text << in.rdbuf();
    if (!in || in.bad()) throw InputError(where, key, "cannot open the profile file " + file);
    return parse_profile(text.str(), path.string(), key, kind);
  }

  std::string_view text_;
  const std::string& path_;
  PlatformScan scan_;
  std::vector<Zone> zones_;
};

}  // namespace

PlatformScan scan_platform_text(std::string_view text, const std::string& path) {
  return PlatformScanner(text, path).run();
}

PlatformScan scan_platform(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(SourceLocation{path, 0, 0}, "platform", "cannot open the file");
  std::ostringstream text;
  text << in.rdbuf();
  return scan_platform_text(text.str(), path);
}

}  // namespace mlcycle
