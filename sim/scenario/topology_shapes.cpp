#include "scenario/topology_shapes.hpp"

#include <algorithm>
#include <cstdlib>
#include <optional>
#include <sstream>
#include <vector>

namespace mlcycle {

namespace {

std::vector<std::string> split(const std::string& text, char sep) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    const std::size_t end = text.find(sep, start);
    parts.push_back(text.substr(start, end - start));
    if (end == std::string::npos) return parts;
    start = end + 1;
  }
}

std::optional<std::vector<std::uint64_t>> positive_integers(const std::string& text) {
  std::vector<std::uint64_t> values;
  for (const std::string& part : split(text, ',')) {
    if (part.empty() || part.size() > 9 ||
        part.find_first_not_of("0123456789") != std::string::npos)
      return std::nullopt;
    const std::uint64_t value = std::strtoull(part.c_str(), nullptr, 10);
    if (value == 0) return std::nullopt;
    values.push_back(value);
  }
  return values;
}

std::uint64_t product(const std::vector<std::uint64_t>& values) {
  std::uint64_t p = 1;
  for (std::uint64_t v : values) p = p > (1ULL << 40) ? p : p * v;  // past 2^40 it cannot match
  return p;
}

std::string join(const std::vector<std::uint64_t>& values) {
  std::string text;
  for (std::uint64_t v : values) {
    if (!text.empty()) text += ',';
    text += std::to_string(v);
  }
  return text;
}

std::string holds(std::uint64_t held, std::uint32_t nodes) {
  return "holds " + std::to_string(held) + " nodes, not " + std::to_string(nodes);
}

// The most cubic a <= b <= c with a*b*c = nodes.
std::string torus(std::uint32_t nodes) {
  std::uint64_t best_a = 1, best_b = 1, best_c = nodes;
  for (std::uint64_t a = 1; a * a * a <= nodes; ++a) {
    if (nodes % a) continue;
    for (std::uint64_t b = a; a * b * b <= nodes; ++b) {
      if ((nodes / a) % b) continue;
      const std::uint64_t c = nodes / a / b;
      if (c < best_c) best_a = a, best_b = b, best_c = c;
    }
  }
  return join({best_a, best_b, best_c});
}

// The largest divisor of n not above `limit`.
std::uint64_t divisor_up_to(std::uint64_t n, std::uint64_t limit) {
  for (std::uint64_t d = std::min(n, limit); d > 1; --d)
    if (n % d == 0) return d;
  return 1;
}

// Levels of switches of at most kMaxSwitchPorts down ports each, leaves first: as few levels as
// possible (at most 3), the most even split among them, full bisection (each switch has as many
// up links as down).
std::string fat_tree(std::uint32_t nodes, std::string& error) {
  std::vector<std::uint64_t> down;
  const std::uint64_t n = nodes;
  if (n <= kMaxSwitchPorts) down = {n};
  std::uint64_t widest = ~0ULL;
  for (std::uint64_t a = 2; n > kMaxSwitchPorts && a <= kMaxSwitchPorts; ++a)
    if (n % a == 0 && n / a <= kMaxSwitchPorts && std::max(a, n / a) < widest)
      widest = std::max(a, n / a), down = {std::max(a, n / a), std::min(a, n / a)};
  if (down.empty()) {
    std::vector<std::uint64_t> best;
    for (std::uint64_t a = 2; a <= kMaxSwitchPorts; ++a)
      for (std::uint64_t b = a; n % a == 0 && b <= kMaxSwitchPorts; ++b) {
        if ((n / a) % b || n / a / b > kMaxSwitchPorts || n / a / b < b) continue;
        const std::uint64_t c = n / a / b;
        if (c < widest) widest = c, best = {c, b, a};
      }
    down = best;
  }
  if (down.empty()) {
    error = "no fat tree of at most 3 levels of " + std::to_string(kMaxSwitchPorts) +
            "-port switches holds exactly " + std::to_string(nodes) +
            " nodes: choose a node count with small factors, or give the parameters "
            "(fat-tree:LEVELS;DOWN,...;UP,...;LINKS,...)";
    return "";
  }
  std::vector<std::uint64_t> up{1}, links(down.size(), 1);
  for (std::size_t i = 1; i < down.size(); ++i) up.push_back(down[i - 1]);
  return std::to_string(down.size()) + ";" + join(down) + ";" + join(up) + ";" + join(links);
}

// Nodes per router, routers per chassis, chassis per group, groups: each level filled up to the
// size of Cray's Aries dragonfly (4 nodes a router, 16 routers a chassis, 6 chassis a group),
// the rest in groups; one link between any two of a level.
std::string dragonfly(std::uint32_t nodes) {
  const std::uint64_t per_router = divisor_up_to(nodes, 4);
  const std::uint64_t routers = divisor_up_to(nodes / per_router, 16);
  const std::uint64_t chassis = divisor_up_to(nodes / per_router / routers, 6);
  const std::uint64_t groups = nodes / per_router / routers / chassis;
  return std::to_string(groups) + ",1;" + std::to_string(chassis) + ",1;" +
         std::to_string(routers) + ",1;" + std::to_string(per_router);
}

}  // namespace

const char* simgrid_topology_tag(Topology topology) {
  switch (topology) {
    case Topology::fat_tree:
      return "FAT_TREE";
    case Topology::torus:
      return "TORUS";
    case Topology::dragonfly:
      return "DRAGONFLY";
    case Topology::star:
      break;
  }
  return "FLAT";
}

std::string choose_topology_parameters(Topology topology, std::uint32_t nodes, std::string& error) {
  switch (topology) {
    case Topology::torus:
      return torus(nodes);
    case Topology::fat_tree:
      return fat_tree(nodes, error);
    case Topology::dragonfly:
      return dragonfly(nodes);
    case Topology::star:
      break;
  }
  return "";
}

std::string check_topology_parameters(Topology topology, const std::string& given,
                                      std::uint32_t nodes, std::string& error) {
  const std::vector<std::string> parts = split(given, ';');
  if (topology == Topology::torus) {
    auto dims = parts.size() == 1 ? positive_integers(given) : std::nullopt;
    if (!dims)
      error = "torus parameters are dimensions, e.g. 4,4,8; got '" + given + "'";
    else if (product(*dims) != nodes)
      error = "torus " + given + " " + holds(product(*dims), nodes);
    return error.empty() ? given : "";
  }
  if (topology == Topology::fat_tree) {
    const char* form =
        "fat-tree parameters are LEVELS;DOWN,...;UP,...;LINKS,... with one "
        "number per level, e.g. 2;16,8;1,16;1,1; got '";
    auto levels = parts.size() == 4 ? positive_integers(parts[0]) : std::nullopt;
    std::optional<std::vector<std::uint64_t>> lists[3];
    bool ok = levels && levels->size() == 1;
    for (int i = 0; ok && i < 3; ++i) {
      lists[i] = positive_integers(parts[i + 1]);
      ok = lists[i] && lists[i]->size() == levels->front();
    }
    if (!ok)
      error = form + given + "'";
    else if (product(*lists[0]) != nodes)
      error = "fat tree " + given + " " + holds(product(*lists[0]), nodes);
    return error.empty() ? given : "";
  }
  if (topology == Topology::dragonfly) {
    bool ok = parts.size() == 4;
    std::vector<std::uint64_t> sizes;
    for (int i = 0; ok && i < 4; ++i) {
      auto values = positive_integers(parts[i]);
      ok = values && values->size() == (i < 3 ? 2u : 1u);
      if (ok) sizes.push_back(values->front());
    }
    if (!ok)
      error =
          "dragonfly parameters are GROUPS,LINKS;CHASSIS,LINKS;ROUTERS,LINKS;NODES, e.g. "
          "4,1;2,1;8,1;4; got '" +
          given + "'";
    else if (product(sizes) != nodes)
      error = "dragonfly " + given + " " + holds(product(sizes), nodes);
    return error.empty() ? given : "";
  }
  error = "a star takes no parameters";
  return "";
}

}  // namespace mlcycle
