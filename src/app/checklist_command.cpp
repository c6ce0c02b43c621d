// secondsight checklist PERSON: the person's offboarding checklist as it stands, changing
// nothing; with --done, a scan that ticks the given manual items and keeps the checklist.
#include <algorithm>

#include "secondsight/app/checklist_records.hpp"
#include "secondsight/app/commands.hpp"
#include "secondsight/checklist/render.hpp"
#include "secondsight/core/text.hpp"

namespace secondsight::app {

int command_checklist(const ChecklistCommandOptions& options, std::ostream& out,
                      std::ostream& err) {
  auto loaded = load_config_and_policies(options.config, err);
  if (!loaded) return k_exit_usage;
  const auto& config = loaded->config;
  ScanSteps steps;
  steps.checklists.also_for = {options.person};
  steps.replay = options.replay;
  // Looking is no reason to keep a checklist, write its files or announce it.
  steps.read_only = options.done.empty();
  steps.checklists.write_files = !steps.read_only;
  return run_scan(
      *loaded, options.now, steps, err, [&](ScanReport& report, store::Database& database) {
        if (report.clock_behind) return clock_exit(report, err);
        if (!report.directory.complete) return sources_exit(report, err);
        auto it = std::find_if(
            report.checklists.begin(), report.checklists.end(),
            [&](const checklist::Checklist& list) { return list.person == options.person; });
        if (it == report.checklists.end()) {
          err << message_line("secondsight: '", options.person,
                              "' is no one in the directory and has no checklist");
          return k_exit_usage;
        }
        auto& list = *it;
        ChecklistRecords lists(database);
        const std::string user = invoking_user();
        for (const auto& item : options.done) {
          if (auto ticked = lists.tick(list.person, item, user, report.now); !ticked) {
            err << message_line("secondsight: --done: ", ticked.error().message);
            return k_exit_usage;
          }
          for (auto& entry : list.items)
            if (entry.id == item) {
              entry.done = true;
              entry.done_at = report.now;
              entry.done_how = "ticked by " + user;
            }
        }
        if (!options.done.empty())
          if (auto written = write_checklist_files(config, list); !written) {
            return report_error(err, written.error());
          }
        switch (options.format) {
          case ChecklistFormat::markdown:
            out << checklist::render_markdown(list, config.zone);
            break;
          case ChecklistFormat::html: out << checklist::render_html(list, config.zone); break;
          case ChecklistFormat::json:
            out << json_text(checklist::render_json(list, config.zone), 2) << '\n';
            break;
        }
        out.flush();
        return sources_exit(report, err);
      });
}

}  // namespace secondsight::app
