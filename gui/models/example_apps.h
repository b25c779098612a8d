// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <vector>

#include <QList>
#include <QString>
#include <nlohmann/json.hpp>

namespace slipway::gui {

/// An example app the create wizard can deploy once a cluster is up. The manifests live in
/// gui/models/examples/*.yaml, compiled in as Qt resources (:/slipway/examples/).
struct ExampleApp {
    QString id;           ///< "hello": the manifest's file name without .yaml
    QString title;        ///< translated, for the wizard's list
    QString description;  ///< translated, one sentence
    QString manifest;     ///< the YAML text (several documents)

    /// The manifest's objects, in order (empty when it does not parse).
    std::vector<nlohmann::json> objects() const;
};

/// Every example app, in the order the wizard lists them (hello first).
QList<ExampleApp> exampleApps();

}  // namespace slipway::gui
