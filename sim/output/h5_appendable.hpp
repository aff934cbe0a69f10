#pragma once
// Datasets that grow by appending rows as a run goes: chunked and compressed (shuffle, then
// deflate), every chunk compressed here and written as it is. HDF5's chunk cache holds nothing
// of them, so nothing of their data is left for HDF5 to allocate and write when the file closes.
#include <cstddef>
#include <string>
#include <vector>

#include "output/h5.hpp"

namespace mlcycle::h5 {

// A dataset of `columns` values of `type` per row (columns 0: a 1-D dataset), unlimited in
// rows, chunked and compressed (shuffle, then deflate), to which rows are appended as the run
// goes. `type` must be the file's layout too (no conversion): chunks are shuffled and deflated
// here and written as they are, in the standard zlib format any HDF5 reader inflates. `run_length`:
// deflate with zlib's run-length strategy, which on the byte planes of wide records (the /jobs
// rows) compresses as small as the default and about twice as fast; on series of doubles the
// default strategy compresses better.
class AppendableDataset {
 public:
  AppendableDataset(hid_t parent, const std::string& name, hid_t type, hsize_t columns,
                    hsize_t chunk_rows, bool run_length = false);
  void append(const void* rows, hsize_t count);
  // Writes the rows short of a whole chunk, if any, as the last (edge) chunk: appending after
  // this is an error. Throws Error when that fails (a full disk).
  void finish();
  // Closes the dataset (after finish()); throws Error when HDF5 fails to.
  void close() { dataset_.close("closing a dataset"); }
  hid_t id() const { return dataset_.id(); }
  hsize_t rows() const { return rows_; }

 private:
  void write_chunk(const unsigned char* rows, hsize_t first_row);

  Handle dataset_;
  hsize_t columns_;
  hsize_t chunk_rows_;
  std::size_t value_bytes_;  // one value of `type`: the shuffle filter's element
  std::size_t row_bytes_;
  int strategy_;              // zlib's
  hsize_t rows_ = 0;          // the dataset's extent
  hsize_t chunked_rows_ = 0;  // rows written in chunks; the rest wait in tail_
  std::vector<unsigned char> tail_, shuffled_, compressed_;
};

}  // namespace mlcycle::h5
