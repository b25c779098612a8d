// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <vector>

#include <QList>
#include <QString>
#include <nlohmann/json.hpp>

namespace slipway::gui {

/// One entry of an object's status.conditions, as a details panel lists it.
struct ConditionRow {
    QString type;
    QString status;  ///< "True", "False", "Unknown"
    QString reason;
    QString message;
    QString lastTransitionTime;
};

/// One core/v1 Event about an object, as `kubectl describe` lists them.
struct EventRow {
    QString type;  ///< "Normal" or "Warning"
    QString reason;
    QString message;
    QString source;  ///< the component (and host) that reported it
    QString lastSeen;
    int count = 1;
};

/// The object as YAML, in the order of its JSON (kubectl get -o yaml's layout).
QString objectYaml(const nlohmann::json& object);
/// status.conditions of the object, in the order given.
QList<ConditionRow> conditionsOf(const nlohmann::json& object);
/// Events, in the order given.
QList<EventRow> eventRowsOf(const std::vector<nlohmann::json>& events);

}  // namespace slipway::gui
