#!/usr/bin/env bash
# Installs the Debian 12 packages mlcycle builds and tests with. Idempotent: packages already
# present are skipped, and apt-get is not called at all when nothing is missing.
set -euo pipefail
packages=(
  build-essential cmake pkg-config make time
  libsimgrid-dev libboost-dev libboost-program-options-dev
  libhdf5-dev zlib1g-dev hdf5-tools catch2 libtomlplusplus-dev openmpi-bin libopenmpi-dev
  python3-h5py python3-pandas python3-numpy python3-pytest python3-matplotlib chromium
  # The analysis package built into a wheel offline from its pyproject.toml (a test does).
  python3-pip python3-setuptools
  clang-format
  # The sanitizer build and the fuzz harnesses (make sanitize, make fuzz): clang 14 and its
  # runtimes (libclang_rt.asan, .ubsan_standalone and .fuzzer are in libclang-rt-14-dev).
  clang libclang-rt-14-dev
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "install-deps: installing ${missing[*]}"
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
"${sudo_cmd[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
