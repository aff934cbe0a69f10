#include "scenario/topology_shapes.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <vector>

#include "core/split_text.hpp"

namespace mlcycle {

namespace {

std::optional<std::vector<std::uint64_t>> positive_integers(const std::string& text) {
  std::vector<std::uint64_t> values;
  if (text.empty()) return std::nullopt;
  for (const std::string& part : split_text(text, ',')) {
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
  for (std::uint64_t v : values)
    if (__builtin_mul_overflow(p, v, &p)) return UINT64_MAX;  // saturates: it cannot match
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
  const std::string count = held == UINT64_MAX ? "more than 10^19" : std::to_string(held);
  return "holds " + count + " nodes, not " + std::to_string(nodes);
}

// The most cubic a <= b <= c with a*b*c = nodes, sides of 1 left out: SimGrid 3.32 declares
// the wrap-around link of a side of 1 twice and aborts.
std::string torus(std::uint32_t nodes, std::string& error) {
  if (nodes < 2) {
    error = "a torus needs at least 2 nodes";
    return "";
  }
  std::uint64_t best_a = 1, best_b = 1, best_c = nodes;
  for (std::uint64_t a = 1; a * a * a <= nodes; ++a) {
    if (nodes % a) continue;
    for (std::uint64_t b = a; a * b * b <= nodes; ++b) {
      if ((nodes / a) % b) continue;
      const std::uint64_t c = nodes / a / b;
      if (c < best_c) best_a = a, best_b = b, best_c = c;
    }
  }
  std::vector<std::uint64_t> sides;
  for (std::uint64_t side : {best_a, best_b, best_c})
    if (side > 1) sides.push_back(side);
  return join(sides);
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

// Groups, chassis per group, routers per chassis, nodes per router (at most 4, as on Cray's
// Aries), with no more groups than routers per chassis: SimGrid 3.32 crashes building or routing
// a dragonfly with more. Among the shapes, the one whose groups and routers are closest.
std::string dragonfly(std::uint32_t nodes, std::string& error) {
  for (std::uint64_t per_router : {4, 3, 2, 1}) {
    if (nodes % per_router) continue;
    const std::uint64_t rest = nodes / per_router;
    std::uint64_t best_g = 0, best_c = 0, best_r = 0;
    for (std::uint64_t chassis = 1; chassis <= 6; ++chassis) {
      if (rest % chassis) continue;
      for (std::uint64_t routers = 1; routers <= 64; ++routers) {
        if ((rest / chassis) % routers) continue;
        const std::uint64_t groups = rest / chassis / routers;
        if (groups > routers) continue;
        if (best_r == 0 || routers - groups < best_r - best_g) {
          best_g = groups, best_c = chassis, best_r = routers;
        }
      }
    }
    if (best_r > 0)
      return std::to_string(best_g) + ",1;" + std::to_string(best_c) + ",1;" +
             std::to_string(best_r) + ",1;" + std::to_string(per_router);
  }
  error = "no dragonfly holds exactly " + std::to_string(nodes) +
          " nodes with at most 64 routers a chassis and no more groups than routers (SimGrid "
          "3.32 crashes on more): choose a node count with small factors";
  return "";
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
      return torus(nodes, error);
    case Topology::fat_tree:
      return fat_tree(nodes, error);
    case Topology::dragonfly:
      return dragonfly(nodes, error);
    case Topology::star:
      break;
  }
  return "";
}

std::string check_topology_parameters(Topology topology, const std::string& given,
                                      std::uint32_t nodes, std::string& error) {
  const std::vector<std::string> parts = split_text(given, ';');
  if (topology == Topology::torus) {
    auto dims = parts.size() == 1 ? positive_integers(given) : std::nullopt;
    if (!dims)
      error = "torus parameters are dimensions, e.g. 4,4,8; got '" + given + "'";
    else if (product(*dims) != nodes)
      error = "torus " + given + " " + holds(product(*dims), nodes);
    else if (std::find(dims->begin(), dims->end(), 1u) != dims->end())
      error = "torus " + given +
              " has a side of 1, whose link SimGrid 3.32 declares twice: "
              "leave it out";
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
    else if (sizes[0] > sizes[2])
      error = "dragonfly " + given +
              " has more groups than routers a chassis, which SimGrid "
              "3.32 crashes on";
    return error.empty() ? given : "";
  }
  error = "a star takes no parameters";
  return "";
}

}  // namespace mlcycle
