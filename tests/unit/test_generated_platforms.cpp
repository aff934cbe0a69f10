// Generated platforms: the topology shapes chosen for a node count, users' shapes checked, the
// XML written for a catalog accelerator, and the built-in catalog's figures.
#include <catch2/catch.hpp>
#include <string>

#include "core/input_error.hpp"
#include "scenario/hardware_catalog.hpp"
#include "scenario/link_units.hpp"
#include "scenario/platform_generator.hpp"
#include "scenario/topology_shapes.hpp"

using namespace mlcycle;

namespace {

std::string chosen(Topology topology, std::uint32_t nodes) {
  std::string error;
  const std::string parameters = choose_topology_parameters(topology, nodes, error);
  return error.empty() ? parameters : "error: " + error;
}

std::string checked(Topology topology, const std::string& given, std::uint32_t nodes) {
  std::string error;
  const std::string parameters = check_topology_parameters(topology, given, nodes, error);
  return error.empty() ? parameters : "error: " + error;
}

HardwareCatalog one_gpu_catalog() {
  HardwareCatalog catalog;
  AcceleratorSpec gpu;
  gpu.id = "g";
  gpu.name = "Test GPU";
  gpu.kind = "gpu";
  gpu.bf16_tflops = 100;  // 1e14 FLOP/s
  gpu.fp16_tflops = 100;
  gpu.memory_gb = 16;
  gpu.memory_tbps = 1;
  gpu.tdp_w = 250;
  gpu.idle_w = 25;
  gpu.mfu = 0.4;
  catalog.accelerators.push_back(gpu);
  HostProfile host;
  host.id = "box";
  host.name = "Test box";
  host.gpus = 4;
  host.gpu = "g";
  host.max_system_w = 1500;
  host.overhead_idle_w = 200;
  host.overhead_busy_w = 400;
  catalog.hosts.push_back(host);
  return catalog;
}

GeneratedCluster cluster(std::uint32_t nodes, Topology topology = Topology::star) {
  GeneratedCluster c;
  c.name = "c";
  c.gpu = "g";
  c.nodes = nodes;
  c.gpus_per_node = 4;
  c.topology = topology;
  c.key = "cluster.c";
  return c;
}

std::string error_of(const GeneratedCluster& c, const HardwareCatalog& catalog) {
  try {
    generate_platform_xml({c}, catalog);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("topology shapes: chosen to hold the node count exactly", "[platform]") {
  // Torus: the most cubic a <= b <= c with a x b x c = nodes, sides of 1 left out (SimGrid 3.32
  // declares their wrap-around link twice).
  CHECK(chosen(Topology::torus, 64) == "4,4,4");
  CHECK(chosen(Topology::torus, 128) == "2,8,8");  // 4,4,8 ties on the largest side: first found
  CHECK(chosen(Topology::torus, 1000) == "10,10,10");
  CHECK(chosen(Topology::torus, 127) == "127");  // a prime: one ring
  CHECK(chosen(Topology::torus, 2) == "2");
  CHECK(chosen(Topology::torus, 1) == "error: a torus needs at least 2 nodes");
  // Fat tree: one level up to 64 nodes, then the most even split of 64-port levels, leaves
  // first; up links: 1 per node, then as many as a switch has down (full bisection).
  CHECK(chosen(Topology::fat_tree, 64) == "1;64;1;1");
  CHECK(chosen(Topology::fat_tree, 128) == "2;16,8;1,16;1,1");
  CHECK(chosen(Topology::fat_tree, 12500) == "3;25,25,20;1,25,25;1,1,1");
  CHECK(chosen(Topology::fat_tree, 127).rfind("error: no fat tree of at most 3 levels", 0) == 0);
  CHECK(chosen(Topology::fat_tree, 64 * 64 * 64 * 2).rfind("error:", 0) == 0);
  // Dragonfly: 4 nodes a router if they divide, then chassis <= 6 and routers <= 64 with no more
  // groups than routers (SimGrid 3.32 crashes on more), groups closest to routers:
  // 12,500 = 4 x 3,125 = 4 x (5 chassis x 25 routers x 25 groups); 128 = 4 x (2 x 4 x 4).
  CHECK(chosen(Topology::dragonfly, 12500) == "25,1;5,1;25,1;4");
  CHECK(chosen(Topology::dragonfly, 128) == "4,1;2,1;4,1;4");
  CHECK(chosen(Topology::dragonfly, 101).rfind("error: no dragonfly holds exactly 101", 0) == 0);
}

TEST_CASE("topology shapes: a user's parameters are checked against the node count", "[platform]") {
  CHECK(checked(Topology::torus, "4,4,8", 128) == "4,4,8");
  CHECK(checked(Topology::torus, "4,4,4", 100) == "error: torus 4,4,4 holds 64 nodes, not 100");
  CHECK(checked(Topology::torus, "4,x", 16).rfind("error: torus parameters are dimensions", 0) ==
        0);
  CHECK(checked(Topology::torus, "4,0,4", 16).rfind("error: torus parameters", 0) == 0);
  CHECK(checked(Topology::fat_tree, "2;4,4;1,2;1,2", 16) == "2;4,4;1,2;1,2");
  CHECK(checked(Topology::fat_tree, "2;4,4;1,2;1,2", 32) ==
        "error: fat tree 2;4,4;1,2;1,2 holds 16 nodes, not 32");
  CHECK(checked(Topology::fat_tree, "2;4,4;1;1,2", 16).rfind("error: fat-tree parameters", 0) == 0);
  CHECK(checked(Topology::dragonfly, "3,1;2,1;4,1;2", 48) == "3,1;2,1;4,1;2");
  CHECK(checked(Topology::dragonfly, "3,1;2,1;4,1;2", 50) ==
        "error: dragonfly 3,1;2,1;4,1;2 holds 48 nodes, not 50");
  CHECK(checked(Topology::dragonfly, "3;2,1;4,1;2", 48).rfind("error: dragonfly parameters", 0) ==
        0);
  CHECK(checked(Topology::dragonfly, "4,1;2,1;2,1;1", 16) ==
        "error: dragonfly 4,1;2,1;2,1;1 has more groups than routers a chassis, which SimGrid "
        "3.32 crashes on");
  CHECK(checked(Topology::torus, "1,2,4", 8) ==
        "error: torus 1,2,4 has a side of 1, whose link SimGrid 3.32 declares twice: leave it out");
  // A product past 2^64 saturates instead of wrapping around to the node count.
  CHECK(checked(Topology::torus, "49477,15390920,48448661", 8) ==
        "error: torus 49477,15390920,48448661 holds more than 10^19 nodes, not 8");
}

TEST_CASE("generated platforms: a star cluster's XML from the catalog", "[platform]") {
  const HardwareCatalog catalog = one_gpu_catalog();
  GeneratedCluster c = cluster(3);
  c.region = "de";
  c.pue = 1.25;
  c.link_bps = 400e9;
  const std::string xml = generate_platform_xml({c}, catalog);
  // 4 GPUs a node: Idle = Epsilon = 4 x 25 = 100 W, AllCores = 4 x 250 = 1000 W; one core per
  // GPU at its BF16 peak, 1e14 FLOP/s; a backbone of 3 x 400 Gb/s (non-blocking).
  CHECK(xml.find("radical=\"0-2\" core=\"4\" speed=\"1e+14f\" bw=\"4e+11bps\" lat=\"1e-06s\" "
                 "bb_bw=\"1.2e+12bps\"") != std::string::npos);
  CHECK(xml.find("<prop id=\"wattage_per_state\" value=\"100:100:1000\"/>") != std::string::npos);
  CHECK(xml.find("<prop id=\"node_overhead_w\" value=\"0\"/>") != std::string::npos);
  CHECK(xml.find("<prop id=\"pue\" value=\"1.25\"/>") != std::string::npos);
  CHECK(xml.find("<prop id=\"grid_region\" value=\"de\"/>") != std::string::npos);
  CHECK(xml.find("<prop id=\"accelerator\" value=\"g\"/>") != std::string::npos);
  // A host profile gives the GPUs per node and the busy overhead (400 W).
  c.host = "box";
  c.gpus_per_node = 0;
  CHECK(generate_platform_xml({c}, catalog).find("node_overhead_w\" value=\"400\"") !=
        std::string::npos);
}

TEST_CASE("generated platforms: what they reject", "[platform]") {
  const HardwareCatalog catalog = one_gpu_catalog();
  GeneratedCluster c = cluster(4);
  c.gpu = "h999";
  CHECK(error_of(c, catalog) == "input: cluster.c.gpu: unknown accelerator 'h999' (known: g)");
  c = cluster(4);
  c.host = "box";
  c.gpus_per_node = 8;
  CHECK(error_of(c, catalog) ==
        "input: cluster.c.gpus_per_node: 8 GPUs per node, but host profile 'box' holds 4");
  c = cluster(0);
  CHECK(error_of(c, catalog) == "input: cluster.c.nodes: must be 1 to 4000000");
  c = cluster(100, Topology::torus);
  c.topology_parameters = "4,4,4";
  CHECK(error_of(c, catalog) == "input: cluster.c.topology: torus 4,4,4 holds 64 nodes, not 100");
  c = cluster(4);
  c.key = "";  // the command line names options
  c.gpu = "h999";
  CHECK(error_of(c, catalog) == "input: --gpu: unknown accelerator 'h999' (known: g)");
}

TEST_CASE("link units: bandwidths and latencies as SimGrid writes them", "[platform]") {
  std::string error;
  CHECK(*parse_bandwidth_bps("400Gbps", error) == 400e9);
  CHECK(*parse_bandwidth_bps("25GBps", error) == 200e9);  // bytes: x 8
  CHECK(*parse_latency_s("5ms", error) == 5e-3);
  CHECK(*parse_latency_s("1us", error) == 1e-6);
  CHECK_FALSE(parse_bandwidth_bps("400", error));
  CHECK(error.find("is not a bandwidth") != std::string::npos);
  CHECK_FALSE(parse_bandwidth_bps("0Gbps", error));
  CHECK_FALSE(parse_latency_s("5 parsecs", error));
  CHECK_FALSE(parse_latency_s("-1ms", error));
}

TEST_CASE("hardware catalog: every entry has every figure, a source, and plausible values",
          "[platform]") {
  const HardwareCatalog& catalog = builtin_catalog();
  REQUIRE(catalog.accelerators.size() >= 16);
  for (const AcceleratorSpec& a : catalog.accelerators) {
    INFO(a.id);
    CHECK_FALSE(a.name.empty());
    CHECK((a.kind == "gpu" || a.kind == "tpu"));
    CHECK(a.year >= 2014);
    CHECK(a.training_peak_flops() > 0);
    CHECK(a.fp32_tflops >= 0);
    CHECK(a.memory_gb > 0);
    CHECK(a.memory_tbps > 0);
    CHECK(a.tdp_w > a.idle_w);
    CHECK(a.idle_w > 0);
    CHECK(a.mfu > 0);
    CHECK(a.mfu <= 1);
    CHECK_FALSE(a.interconnect.empty());
    CHECK_FALSE(a.datasheet.empty());
    CHECK_FALSE(a.idle_source.empty());
    CHECK_FALSE(a.mfu_source.empty());
  }
  for (const char* id : {"p100-sxm2", "v100-sxm2", "v100-pcie", "titan-x-pascal", "a100-sxm4-40gb",
                         "a100-sxm4-80gb", "h100-sxm", "h100-pcie", "h200-sxm", "b200", "l4", "t4",
                         "tpu-v2", "tpu-v3", "tpu-v4", "tpu-v5e"}) {
    INFO(id);
    CHECK(catalog.accelerator(id) != nullptr);
  }
  for (const HostProfile& h : catalog.hosts) {
    INFO(h.id);
    REQUIRE(catalog.accelerator(h.gpu) != nullptr);
    CHECK(h.gpus >= 1);
    CHECK(h.overhead_busy_w >= h.overhead_idle_w);
    CHECK(h.max_system_w >= h.overhead_busy_w + h.gpus * catalog.accelerator(h.gpu)->tdp_w - 1e-9);
    CHECK_FALSE(h.source.empty());
  }
}
