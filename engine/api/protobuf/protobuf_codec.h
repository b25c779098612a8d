// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string_view>

#include <nlohmann/json.hpp>

#include "engine/core/result.h"

namespace slipway::api {

/// The Content-Type client-go sends its typed objects in: kubectl's `create <generator>`,
/// `create token`, `auth can-i`, `autoscale` and every typed client-go program.
inline constexpr std::string_view kProtobufContentType = "application/vnd.kubernetes.protobuf";

/// True when a request's Content-Type is Kubernetes protobuf; parameters (";charset=...") and
/// case are ignored.
bool isProtobufContentType(std::string_view contentType);

/// Decodes a Kubernetes protobuf body: the magic "k8s\0", then a runtime.Unknown envelope whose
/// typeMeta names the object and whose raw holds the object's own message. The result is the
/// JSON object the client would have sent as application/json for the same Go object, with
/// `apiVersion` and `kind` from the envelope: names as in the Go json tags, omitempty applied,
/// Time as RFC 3339, IntOrString as a number or string, Quantity as a string, []byte as base64.
///
/// One difference is inherent to protobuf: an empty list or map and a nil one look the same on
/// the wire, so a list or map field without omitempty that was nil (JSON `null`) is absent.
///
/// Knows the v1 kinds of core, apps, batch, autoscaling (v1 and v2), networking.k8s.io,
/// discovery.k8s.io, coordination.k8s.io, events.k8s.io, rbac.authorization.k8s.io,
/// storage.k8s.io, policy, scheduling.k8s.io, authentication.k8s.io, authorization.k8s.io and
/// certificates.k8s.io, plus DeleteOptions in any of them. Errors, as kube-apiserver words them:
/// - no magic, an empty body, a malformed or truncated message → BadRequest;
/// - a field number the schema does not know, anywhere in the object → BadRequest ("strict
///   decoding error: unknown field number 99 in spec.template.spec.containers[0] ...") rather
///   than silently losing what the client sent;
/// - a kind the schema does not know in a group it knows → BadRequest ("no kind ... is
///   registered for version ...");
/// - a group or version without a protobuf schema (custom resources), or an envelope whose raw
///   is not protobuf → UnsupportedMediaType, as kube-apiserver answers for custom resources.
core::Result<nlohmann::json> decodeProtobufObject(std::string_view body);

}  // namespace slipway::api
