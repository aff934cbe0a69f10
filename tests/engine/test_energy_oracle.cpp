// SimGrid's energy example, checked two ways: the host energy plugin, and our HostPowerModel
// integrated over the same intervals. Both must give 1000 / 1120 / 1645 / 2005 J.
#include <simgrid/plugins/energy.h>
#include <catch2/catch.hpp>
#include <simgrid/s4u.hpp>

#include "accounting/host_power.hpp"
#include "engine/wattage_property.hpp"

using namespace mlcycle;
namespace sg4 = simgrid::s4u;

TEST_CASE("SimGrid energy oracle: plugin and power model agree with 1000/1120/1645/2005 J") {
  int argc = 1;
  char program[] = "engine_tests";
  char* argv[] = {program, nullptr};
  sg4::Engine engine(&argc, argv);
  xbt_log_control_set("root.thres:warning");
  sg_host_energy_plugin_init();
  engine.load_platform(std::string(MLCYCLE_TEST_DATA) + "/energy_platform.xml");
  sg4::Host* host = engine.host_by_name("MyHost1");

  std::string error;
  auto states = parse_wattage_per_state(host->get_property("wattage_per_state"), error);
  REQUIRE(states);
  REQUIRE(states->size() == 3);
  auto model_at = [&](int pstate) {
    HostPowerModel m;
    m.cores = 4;
    m.idle_w = (*states)[pstate].idle_w;
    m.epsilon_w = (*states)[pstate].epsilon_w;
    m.all_cores_w = (*states)[pstate].all_cores_w;
    return m;
  };

  std::vector<double> plugin_j;
  double model_j = 0;
  std::vector<double> model_steps_j;
  sg4::Actor::create("oracle", host, [&] {
    // 10 s idle at pstate 0: 100 W -> 1000 J.
    sg4::this_actor::sleep_for(10);
    model_j += model_at(0).simgrid_power_w(0) * 10;
    plugin_j.push_back(sg_host_get_consumed_energy(host));
    model_steps_j.push_back(model_j);
    // 1 s with one of 4 cores busy at pstate 0: 93.33 + 0.25 x (200 - 93.33) = 120 W -> 1120 J.
    sg4::this_actor::execute(100e6);
    model_j += model_at(0).simgrid_power_w(1) * 1;
    plugin_j.push_back(sg_host_get_consumed_energy(host));
    model_steps_j.push_back(model_j);
    // pstate 2 (20 Mf): 100 Mf take 5 s at 90 + 0.25 x 60 = 105 W -> 1645 J.
    host->set_pstate(2);
    sg4::this_actor::execute(100e6);
    model_j += model_at(2).simgrid_power_w(1) * 5;
    plugin_j.push_back(sg_host_get_consumed_energy(host));
    model_steps_j.push_back(model_j);
    // 4 s idle at pstate 2: 90 W -> 2005 J.
    sg4::this_actor::sleep_for(4);
    model_j += model_at(2).simgrid_power_w(0) * 4;
    plugin_j.push_back(sg_host_get_consumed_energy(host));
    model_steps_j.push_back(model_j);
  });
  engine.run();

  const double expected_j[] = {1000, 1120, 1645, 2005};
  REQUIRE(plugin_j.size() == 4);
  for (int i = 0; i < 4; ++i) {
    CHECK(plugin_j[i] == Approx(expected_j[i]).epsilon(1e-9));
    CHECK(model_steps_j[i] == Approx(expected_j[i]).epsilon(1e-9));
  }
}
