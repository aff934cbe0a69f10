#pragma once
// The hardware catalog: accelerators (peak FLOP/s, memory, power, a typical MFU) and host
// profiles (a node's power besides its accelerators), each figure with its source. The built-in
// catalog is platforms/hardware.toml, compiled into the program; a scenario may add entries
// ([catalog.gpu.<id>], [catalog.host.<id>]). Reference: docs/hardware.md.
#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

namespace mlcycle {

struct AcceleratorSpec {
  std::string id;
  std::string name;
  std::string kind;  // "gpu" or "tpu"
  std::int64_t year = 0;
  double bf16_tflops = 0;  // dense peaks per chip; 0: not supported or not published
  double fp16_tflops = 0;
  double fp32_tflops = 0;
  double memory_gb = 0;
  double memory_tbps = 0;
  std::string interconnect;
  double tdp_w = 0;
  double idle_w = 0;
  double mfu = 0;  // typical model FLOP utilization of large-model training
  std::string datasheet, idle_source, mfu_source, notes;

  // The training peak: the largest dense peak of BF16, FP16 and FP32 (FLOP/s). Pascal trains in
  // FP32 (its FP16 runs at 1/64 on the Titan X), Volta in FP16, later chips in BF16.
  double training_peak_flops() const {
    return 1e12 * std::max({bf16_tflops, fp16_tflops, fp32_tflops});
  }
};

struct HostProfile {
  std::string id;
  std::string name;
  std::uint32_t gpus = 0;
  std::string gpu;  // an accelerator id
  double max_system_w = 0;
  double overhead_idle_w = 0;  // CPUs, DRAM, NICs, fans: the node besides its accelerators
  double overhead_busy_w = 0;
  std::string source, notes;
};

struct HardwareCatalog {
  std::vector<AcceleratorSpec> accelerators;
  std::vector<HostProfile> hosts;

  const AcceleratorSpec* accelerator(const std::string& id) const;
  const HostProfile* host(const std::string& id) const;
  std::string accelerator_ids() const;  // "a100-sxm4-40gb, ..." for messages
  std::string host_ids() const;
};

// platforms/hardware.toml as compiled in.
const HardwareCatalog& builtin_catalog();

}  // namespace mlcycle
