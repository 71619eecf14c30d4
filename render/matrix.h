#pragma once
// The figures' input: a dense row-major matrix of floats, independent of any model's tensor type.
#include <cstddef>
#include <vector>

namespace glassbox::render {

struct Matrix {
  int rows = 0;
  int cols = 0;
  std::vector<float> values;  // rows * cols, row-major

  Matrix() = default;
  // A negative size allocates nothing; the figures then report the matrix as empty.
  Matrix(int r, int c, float fill = 0.0f)
      : rows(r), cols(c), values(std::size_t(r > 0 ? r : 0) * std::size_t(c > 0 ? c : 0), fill) {}
  Matrix(int r, int c, std::vector<float> v) : rows(r), cols(c), values(std::move(v)) {}

  float& at(int r, int c) { return values[std::size_t(r) * std::size_t(cols) + std::size_t(c)]; }
  float at(int r, int c) const { return values[std::size_t(r) * std::size_t(cols) + std::size_t(c)]; }
  bool empty() const { return rows <= 0 || cols <= 0; }
};

}  // namespace glassbox::render
