#pragma once
// Matrix checks and cell drawing shared by the heatmap, the heatmap grid and the vector strip.
#include <string>
#include <vector>

#include "render/canvas.h"
#include "render/colormap.h"
#include "render/matrix.h"

namespace glassbox::render {

// The range of the unmasked values. Fails, naming `what`, on an empty matrix, a values/mask size that
// does not match rows x cols, or NaN/Inf in an unmasked cell.
ValueRange checked_range(const Matrix& m, const std::vector<bool>& mask, const std::string& what);

// Fills `area` with the matrix's cells. Cell edges are rounded to whole pixels so neighbours meet
// without seams at any cell size; neighbours of one colour in a row are drawn as one rectangle.
void draw_cells(Canvas& canvas, const Matrix& m, const std::vector<bool>& mask, const ColorScale& scale,
                const Rect& area);

// Cells at least this wide have room for a value printed with two decimals.
inline constexpr double kMinValueCellWidth = 38;

// Prints each unmasked value in its cell, white on dark colours and black on light ones.
void draw_cell_values(Canvas& canvas, const Matrix& m, const std::vector<bool>& mask, const ColorScale& scale,
                      const Rect& area);

// Prints texts[i] (rows*cols, row-major, valid UTF-8) in each unmasked cell the same way, at `size` px.
void draw_cell_texts(Canvas& canvas, const Matrix& m, const std::vector<std::string>& texts,
                     const std::vector<bool>& mask, const ColorScale& scale, const Rect& area, double size);

// Fails, naming `what`, unless `labels` is empty or has `count` entries.
void check_label_count(const std::vector<std::string>& labels, int count, const std::string& what);

}  // namespace glassbox::render
