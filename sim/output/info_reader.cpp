#include "output/info_reader.hpp"

#include <filesystem>

#include "core/input_error.hpp"
#include "output/h5.hpp"

namespace mlcycle {

InfoFile read_info_file(const std::string& path) {
  namespace fs = std::filesystem;
  h5::silence_errors_for_good();
  InfoFile file;
  std::error_code ec;
  std::string h5_path = path;
  if (fs::is_directory(path, ec)) {
    h5_path = (fs::path(path) / "sweep.h5").string();
    if (!fs::exists(h5_path, ec))
      throw InputError(SourceLocation{path, 0, 0}, "",
                       "a directory without sweep.h5 (not a sweep directory)");
    file.is_sweep = true;
  } else {
    file.is_sweep = mlcycle_file_format(h5_path) == kSweepFormat;
  }
  if (file.is_sweep)
    file.listing = read_sweep_listing(h5_path);
  else
    file.trace = read_trace_info(h5_path);
  return file;
}

}  // namespace mlcycle
