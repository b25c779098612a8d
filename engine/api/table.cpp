// SPDX-License-Identifier: Apache-2.0
#include "engine/api/table.h"

#include "engine/api/printers.h"

namespace slipway::api {

using nlohmann::json;

json columnDefinition(const TableColumn& column) {
    return {{"name", column.name},
            {"type", column.type},
            {"format", column.format},
            {"description", column.description},
            {"priority", column.priority}};
}

json partialObjectMetadata(const json& object) {
    json metadata = json::object();
    if (object.is_object()) {
        if (const auto it = object.find("metadata"); it != object.end() && it->is_object()) {
            metadata = *it;
        }
    }
    return {{"kind", "PartialObjectMetadata"},
            {"apiVersion", "meta.k8s.io/v1"},
            {"metadata", std::move(metadata)}};
}

json toTable(const ResourceType& type, const std::vector<json>& objects,
             std::chrono::system_clock::time_point now, bool includeObject,
             const std::string& resourceVersion, const std::string& continueToken,
             bool withColumnDefinitions) {
    // A type without a printer prints as a custom resource without printer columns does.
    Printer fallback;
    const bool hasPrinter = static_cast<bool>(type.cells);
    if (!hasPrinter) {
        fallback = customResourcePrinter(json::object());
    }
    const auto& columns = hasPrinter ? type.columns : fallback.columns;
    const auto& cells = hasPrinter ? type.cells : fallback.cells;

    json metadata = json::object();
    if (!resourceVersion.empty()) {
        metadata["resourceVersion"] = resourceVersion;
    }
    if (!continueToken.empty()) {
        metadata["continue"] = continueToken;
    }
    json definitions = nullptr;
    if (withColumnDefinitions) {
        definitions = json::array();
        for (const auto& column : columns) {
            definitions.push_back(columnDefinition(column));
        }
    }
    json rows = json::array();
    for (const auto& object : objects) {
        json row = {{"cells", cells(object, now)},
                    {"object", includeObject ? object : partialObjectMetadata(object)}};
        if (json conditions = rowConditions(type.group, type.kind, object); !conditions.is_null()) {
            row["conditions"] = std::move(conditions);
        }
        rows.push_back(std::move(row));
    }
    return {{"kind", "Table"},
            {"apiVersion", "meta.k8s.io/v1"},
            {"metadata", std::move(metadata)},
            {"columnDefinitions", std::move(definitions)},
            {"rows", std::move(rows)}};
}

}  // namespace slipway::api
