// SPDX-License-Identifier: Apache-2.0
#include "gui/models/object_details.h"

#include <string>

#include <yaml-cpp/yaml.h>

namespace slipway::gui {

using nlohmann::json;

namespace {

QString textOf(const json& object, const char* field) {
    auto it = object.find(field);
    return it != object.end() && it->is_string() ? QString::fromStdString(it->get<std::string>())
                                                 : QString();
}

/// True when a plain scalar would read back as something other than this string (a number,
/// a boolean, null, or nothing at all), so it must be quoted.
bool needsQuotes(const std::string& value) {
    if (value.empty()) {
        return true;
    }
    try {
        const YAML::Node node = YAML::Load(value);
        if (!node.IsScalar() || node.Tag() != "?") {
            return true;
        }
        // Plain scalars that resolve to null, booleans or numbers.
        static const char* const kSpecial[] = {
            "null", "Null", "NULL", "~",  "true", "True", "TRUE", "false", "False", "FALSE",
            "yes",  "Yes",  "no",   "No", "on",   "On",   "off",  "Off",   "y",     "n"};
        for (const char* special : kSpecial) {
            if (value == special) {
                return true;
            }
        }
        double number = 0;
        if (YAML::convert<double>::decode(node, number)) {
            return true;
        }
        return node.as<std::string>() != value;
    } catch (const YAML::Exception&) {
        return true;
    }
}

void emitYaml(YAML::Emitter& out, const json& value) {
    switch (value.type()) {
        case json::value_t::object:
            out << YAML::BeginMap;
            for (const auto& [key, item] : value.items()) {
                out << YAML::Key << key << YAML::Value;
                emitYaml(out, item);
            }
            out << YAML::EndMap;
            break;
        case json::value_t::array:
            out << YAML::BeginSeq;
            for (const json& item : value) {
                emitYaml(out, item);
            }
            out << YAML::EndSeq;
            break;
        case json::value_t::string: {
            const auto& s = value.get_ref<const std::string&>();
            if (needsQuotes(s)) {
                out << YAML::DoubleQuoted << s;
            } else if (s.find('\n') != std::string::npos) {
                out << YAML::Literal << s;
            } else {
                out << s;
            }
            break;
        }
        case json::value_t::boolean:
            out << (value.get<bool>() ? "true" : "false");
            break;
        case json::value_t::null:
            out << YAML::Null;
            break;
        default:
            out << value.dump();  // numbers as JSON writes them
            break;
    }
}

}  // namespace

QString objectYaml(const json& object) {
    YAML::Emitter out;
    out.SetIndent(2);
    out.SetSeqFormat(YAML::Block);
    out.SetNullFormat(YAML::LowerNull);  // "null", as kubectl prints it (yaml-cpp's default: ~)
    emitYaml(out, object);
    return QString::fromUtf8(out.c_str()) + QLatin1Char('\n');
}

QList<ConditionRow> conditionsOf(const json& object) {
    QList<ConditionRow> rows;
    const json::json_pointer pointer("/status/conditions");
    if (!object.contains(pointer) || !object.at(pointer).is_array()) {
        return rows;
    }
    for (const json& c : object.at(pointer)) {
        if (!c.is_object()) {
            continue;
        }
        ConditionRow row;
        row.type = textOf(c, "type");
        row.status = textOf(c, "status");
        row.reason = textOf(c, "reason");
        row.message = textOf(c, "message");
        row.lastTransitionTime = textOf(c, "lastTransitionTime");
        rows.append(row);
    }
    return rows;
}

QList<EventRow> eventRowsOf(const std::vector<json>& events) {
    QList<EventRow> rows;
    for (const json& e : events) {
        EventRow row;
        row.type = textOf(e, "type");
        row.reason = textOf(e, "reason");
        row.message = textOf(e, "message");
        const json source = e.value("source", json::object());
        row.source = textOf(source, "component");
        if (const QString host = textOf(source, "host"); !host.isEmpty()) {
            row.source += QStringLiteral(", ") + host;
        }
        if (row.source.isEmpty()) {
            row.source = textOf(e, "reportingComponent");
        }
        row.lastSeen = textOf(e, "lastTimestamp");
        if (row.lastSeen.isEmpty()) {
            row.lastSeen = textOf(e, "eventTime");
        }
        row.count = e.value("count", 1);
        rows.append(row);
    }
    return rows;
}

}  // namespace slipway::gui
