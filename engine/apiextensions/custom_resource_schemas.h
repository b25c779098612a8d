// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace slipway::apiextensions {

/// The openAPIV3Schema of one served custom resource version.
struct CustomResourceSchema {
    std::string group;
    std::string version;
    std::string kind;
    std::string plural;
    bool namespaced = true;
    nlohmann::json openAPIV3Schema;
};

/// What /openapi/v3 needs to publish custom resources: the schemas of every served CRD
/// version, current as CRDs come and go. Thread-safe.
class CustomResourceSchemas {
public:
    virtual ~CustomResourceSchemas() = default;
    virtual std::vector<CustomResourceSchema> schemas() const = 0;
};

}  // namespace slipway::apiextensions
