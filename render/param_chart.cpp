#include "render/param_chart.h"

#include "base/error.h"
#include "render/bar_chart.h"
#include "render/numbers.h"

namespace glassbox::render {

void save(const ParamChart& chart, const std::filesystem::path& path, const Provenance& provenance) {
  if (chart.groups.empty()) fail("parameter chart: no groups");
  BarChart bars;
  double total = 0;
  for (const ParamGroup& g : chart.groups) {
    bars.labels.push_back(g.name);
    bars.values.push_back(double(g.count));
    total += double(g.count);
  }
  bars.title = chart.title;
  bars.subtitle = (chart.subtitle.empty() ? "" : chart.subtitle + " · ") + "total " + format_count(total) +
                  " parameters";
  bars.format = ValueFormat::Count;
  bars.show_share = true;
  bars.labels_are_tokens = false;
  bars.width_px = chart.width_px;
  save(bars, path, provenance);
}

}  // namespace glassbox::render
