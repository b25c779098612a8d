// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <google/protobuf/message.h>
#include <nlohmann/json.hpp>

#include "engine/api/protobuf/k8s_schema.h"
#include "engine/core/result.h"

namespace slipway::api::detail {

/// The JSON encoding/json would write for the Go object `message` was marshalled from: exactly
/// the fields on the wire, under their json names, zero values of omitempty scalars dropped,
/// inline structs merged, and Kubernetes' own JSON forms for Time, MicroTime, Duration,
/// IntOrString, Quantity, RawExtension, FieldsV1 and GroupVersion. A field on the wire that the
/// schema does not know, anywhere inside, is a BadRequest naming its path.
core::Result<nlohmann::json> messageToJson(const google::protobuf::Message& message,
                                           const K8sSchema& schema);

}  // namespace slipway::api::detail
