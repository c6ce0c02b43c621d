// The sink types' constructors, for the table in sinks.cpp.
#pragma once

#include <memory>

#include "secondsight/alert/sink.hpp"

namespace secondsight::alert {

Result<std::unique_ptr<Sink>> make_journal_sink(const config::AlertSinkConfig& config);
Result<std::unique_ptr<Sink>> make_jsonl_sink(const config::AlertSinkConfig& config);
Result<std::unique_ptr<Sink>> make_webhook_sink(const config::AlertSinkConfig& config);

}  // namespace secondsight::alert
