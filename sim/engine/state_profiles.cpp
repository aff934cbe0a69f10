#include "engine/state_profiles.hpp"

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <optional>
#include <regex>
#include <sstream>

#include "core/input_error.hpp"

namespace mlcycle {

namespace {

std::optional<double> parse_number(const std::string& text) {
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  if (end == text.c_str() || *end != '\0') return std::nullopt;
  return value;
}

// SimGrid's profile format: "DATE VALUE" lines with increasing dates, an optional
// "LOOPAFTER PERIOD" line, blank lines and '#' comments.
StateProfile check_profile_file(const std::filesystem::path& path, const SourceLocation& where,
                                const std::string& key) {
  StateProfile profile;
  std::ifstream in(path);
  if (!in) throw InputError(where, key, "cannot open the profile file " + path.string());
  std::string line;
  int number = 0;
  double last_date = -1;
  while (std::getline(in, line)) {
    ++number;
    std::istringstream words(line);
    std::string first, second, extra;
    if (!(words >> first) || first[0] == '#') continue;
    const SourceLocation at{path.string(), number, 1};
    words >> second >> extra;
    if (first == "LOOPAFTER" || first == "PERIODICITY") {
      auto period = parse_number(second);
      if (!period || *period < 0 || !extra.empty())
        throw InputError(at, key, "expected '" + first + " <seconds>'");
      profile.loop_after_s = *period;
      continue;
    }
    auto date = parse_number(first);
    auto value = parse_number(second);
    if (!date || !value || !extra.empty())
      throw InputError(at, key, "expected '<time in s> <value>', got '" + line + "'");
    if (*date < 0) throw InputError(at, key, "a time must not be negative");
    if (*date < last_date)
      throw InputError(at, key, "times must increase (" + first + " comes after a later time)");
    last_date = *date;
    profile.events.emplace_back(*date, *value);
  }
  return profile;
}

std::size_t line_of(const std::string& text, std::size_t offset) {
  std::size_t line = 1;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i)
    if (text[i] == '\n') ++line;
  return line;
}

}  // namespace

double PlatformProfiles::next_up_s(const std::string& host, double now_s) const {
  constexpr double kNever = std::numeric_limits<double>::infinity();
  auto it = states.find(host);
  if (it == states.end() || it->second.events.empty()) return kNever;
  const StateProfile& p = it->second;
  // With LOOPAFTER the profile repeats every (last event + period): look at this cycle and
  // the next one.
  const double cycle_s = p.loop_after_s >= 0 ? p.events.back().first + p.loop_after_s : 0;
  const double first_cycle = cycle_s > 0 ? std::floor(now_s / cycle_s) : 0;
  for (int k = 0; k < (cycle_s > 0 ? 2 : 1); ++k)
    for (const auto& [t, value] : p.events) {
      const double at = t + (first_cycle + k) * cycle_s;
      if (at > now_s && value > 0) return at;
    }
  return kNever;
}

PlatformProfiles check_platform_profiles(const std::string& platform_path) {
  PlatformProfiles result;
  std::ifstream in(platform_path);
  if (!in) return result;  // SimGrid reports the missing platform itself
  std::ostringstream buffer;
  buffer << in.rdbuf();
  const std::string text = buffer.str();
  const std::filesystem::path dir = std::filesystem::path(platform_path).parent_path();
  static const std::regex element(R"(<(host|link)\b[^>]*>)");
  static const std::regex attribute(
      R"re(\b(id|state_file|speed_file|bandwidth_file|latency_file)\s*=\s*["']([^"']*)["'])re");
  std::map<std::string, std::string> used_by;  // SimGrid defines each profile file once
  for (auto it = std::sregex_iterator(text.begin(), text.end(), element);
       it != std::sregex_iterator(); ++it) {
    const std::string tag = it->str();
    const SourceLocation where{platform_path, static_cast<int>(line_of(text, it->position())), 1};
    std::string id;
    std::vector<std::pair<std::string, std::string>> files;
    for (auto a = std::sregex_iterator(tag.begin(), tag.end(), attribute);
         a != std::sregex_iterator(); ++a) {
      if ((*a)[1] == "id")
        id = (*a)[2];
      else
        files.emplace_back((*a)[1], (*a)[2]);
    }
    for (const auto& [key, file] : files) {
      const std::string owner = (*it)[1].str() + " " + id;
      if (auto [at, fresh] = used_by.emplace(file, owner); !fresh)
        throw InputError(where, owner + ": " + key,
                         "'" + file + "' is already the profile of " + at->second +
                             " (SimGrid reads a profile file once: give each its own copy)");
      std::filesystem::path path(file);
      // SimGrid looks next to the platform file, then in the working directory.
      if (path.is_relative() && std::filesystem::exists(dir / path)) path = dir / path;
      StateProfile profile =
          check_profile_file(path, where, (*it)[1].str() + " " + id + ": " + key);
      if (key == "state_file" && (*it)[1] == "host") {
        result.failing_hosts.insert(id);
        result.states[id] = std::move(profile);
      }
    }
  }
  return result;
}

}  // namespace mlcycle
