#include "output/h5_appendable.hpp"

#include <zlib.h>

#include <algorithm>
#include <stdexcept>

namespace mlcycle::h5 {

namespace {

constexpr int kDeflateLevel = 1;

// The shuffle filter's byte planes: byte b of every value, then byte b + 1 of every value...
// A block of values at a time, so that a wide record's bytes (a /jobs row is a "value" of over
// a hundred bytes) are read from cache, not once per plane from the whole chunk.
void shuffle_bytes(const unsigned char* in, std::size_t values, std::size_t value_bytes,
                   unsigned char* out) {
  constexpr std::size_t kBlockValues = 64;
  for (std::size_t first = 0; first < values; first += kBlockValues) {
    const std::size_t count = std::min(kBlockValues, values - first);
    const unsigned char* block = in + first * value_bytes;
    for (std::size_t b = 0; b < value_bytes; ++b) {
      unsigned char* plane = out + b * values + first;
      const unsigned char* from = block + b;
      for (std::size_t v = 0; v < count; ++v) plane[v] = from[v * value_bytes];
    }
  }
}

// A zlib stream (header, deflate, Adler-32), what HDF5's deflate filter stores and inflates.
std::size_t deflate_bytes(const unsigned char* in, std::size_t size, int strategy,
                          std::vector<unsigned char>& out) {
  z_stream stream{};
  if (deflateInit2(&stream, kDeflateLevel, Z_DEFLATED, 15, 8, strategy) != Z_OK)
    throw std::runtime_error("zlib: deflateInit2 failed");
  out.resize(deflateBound(&stream, static_cast<uLong>(size)));
  stream.next_in = const_cast<unsigned char*>(in);
  stream.avail_in = static_cast<uInt>(size);
  stream.next_out = out.data();
  stream.avail_out = static_cast<uInt>(out.size());
  const int status = deflate(&stream, Z_FINISH);
  const std::size_t written = stream.total_out;
  deflateEnd(&stream);
  if (status != Z_STREAM_END) throw std::runtime_error("zlib: deflate failed");
  return written;
}

}  // namespace

AppendableDataset::AppendableDataset(hid_t parent, const std::string& name, hid_t type,
                                     hsize_t columns, hsize_t chunk_rows, bool run_length)
    : columns_(columns),
      chunk_rows_(chunk_rows),
      value_bytes_(H5Tget_size(type)),
      row_bytes_(value_bytes_ * (columns == 0 ? 1 : columns)),
      strategy_(run_length ? Z_RLE : Z_DEFAULT_STRATEGY) {
  if (value_bytes_ == 0) throw std::runtime_error("HDF5: getting a type's size failed");
  const int rank = columns == 0 ? 1 : 2;
  const hsize_t initial[2] = {0, columns};
  const hsize_t maximum[2] = {H5S_UNLIMITED, columns};
  const hsize_t chunk[2] = {chunk_rows, columns};
  Handle space(check(H5Screate_simple(rank, initial, maximum), "creating a dataspace"), H5Sclose);
  Handle props(check(H5Pcreate(H5P_DATASET_CREATE), "creating dataset properties"), H5Pclose);
  check(H5Pset_chunk(props.id(), rank, chunk), "setting the chunk size");
  check(H5Pset_shuffle(props.id()), "enabling shuffle");
  check(H5Pset_deflate(props.id(), kDeflateLevel), "enabling compression");
  dataset_ = Handle(check(H5Dcreate2(parent, name.c_str(), type, space.id(), H5P_DEFAULT,
                                     props.id(), H5P_DEFAULT),
                          "creating an appendable dataset"),
                    H5Dclose);
}

void AppendableDataset::write_chunk(const unsigned char* rows, hsize_t first_row) {
  const std::size_t bytes = chunk_rows_ * row_bytes_;
  shuffled_.resize(bytes);
  shuffle_bytes(rows, bytes / value_bytes_, value_bytes_, shuffled_.data());
  const std::size_t size = deflate_bytes(shuffled_.data(), bytes, strategy_, compressed_);
  const hsize_t offset[2] = {first_row, 0};
  check(H5Dwrite_chunk(dataset_.id(), H5P_DEFAULT, 0, offset, size, compressed_.data()),
        "writing a chunk");
}

void AppendableDataset::append(const void* rows, hsize_t count) {
  if (count == 0) return;
  const hsize_t new_size[2] = {rows_ + count, columns_};
  check(H5Dset_extent(dataset_.id(), new_size), "extending a dataset");
  rows_ += count;
  // Whole chunks go straight to the file (filter mask 0: both filters applied); rows short of a
  // chunk wait in tail_ for the next append or for finish().
  const auto* bytes = static_cast<const unsigned char*>(rows);
  const std::size_t chunk_bytes = chunk_rows_ * row_bytes_;
  if (!tail_.empty()) {
    const std::size_t take = std::min<std::size_t>(count * row_bytes_, chunk_bytes - tail_.size());
    tail_.insert(tail_.end(), bytes, bytes + take);
    bytes += take;
    count -= take / row_bytes_;
    if (tail_.size() < chunk_bytes) return;
    write_chunk(tail_.data(), chunked_rows_);
    chunked_rows_ += chunk_rows_;
    tail_.clear();
  }
  for (; count >= chunk_rows_; count -= chunk_rows_, bytes += chunk_bytes) {
    write_chunk(bytes, chunked_rows_);
    chunked_rows_ += chunk_rows_;
  }
  tail_.assign(bytes, bytes + count * row_bytes_);
}

void AppendableDataset::finish() {
  if (tail_.empty()) return;
  // The edge chunk, padded with zeros (HDF5's default fill value) past the dataset's extent,
  // where no reader looks.
  tail_.resize(chunk_rows_ * row_bytes_, 0);
  write_chunk(tail_.data(), chunked_rows_);
  chunked_rows_ += chunk_rows_;
  tail_.clear();
}

}  // namespace mlcycle::h5
