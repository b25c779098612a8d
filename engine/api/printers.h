// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/api/resource_type.h"

namespace slipway::api {

/// The Table columns of a kind and the function computing one object's cells
/// (ResourceType::columns and ResourceType::cells).
struct Printer {
    std::vector<TableColumn> columns;
    std::function<nlohmann::json(const nlohmann::json& object,
                                 std::chrono::system_clock::time_point now)>
        cells;
};

/// The printer kube-apiserver 1.32 uses for a built-in kind (pkg/printers/internalversion),
/// columns named as it names them ("Name", "Ready", "Up-to-date"; kubectl upper-cases them) and
/// cells typed as it types them. kube-apiserver always prints the wide cells too (kubectl hides
/// priority > 0 columns without `-o wide`), so do these. Kinds kube-apiserver has no printer
/// for (Role, ClusterRole, LimitRange, CustomResourceDefinition, …) get defaultPrinter().
Printer builtinPrinter(std::string_view group, std::string_view kind);

/// kube-apiserver's table for kinds without a printer: "Name" and "Created At" (type date,
/// the creation timestamp in RFC 3339), which kubectl shows as NAME and CREATED AT.
Printer defaultPrinter();

/// The table of a custom resource, from the version entry of its CRD
/// (spec.versions[i], with additionalPrinterColumns): "Name", then each column whose
/// jsonPath is a simple path (".spec.replicas", ".status.conditions[0].type",
/// ".metadata.labels.app"); date columns print as ages. Without columns, "Name" and "Age", as
/// apiextensions-apiserver does.
Printer customResourcePrinter(const nlohmann::json& crdVersion);

/// The STATUS kubectl shows for a pod: the phase or the reason of the first interesting
/// container state ("ContainerCreating", "CrashLoopBackOff", "Init:0/2", "Completed",
/// "Terminating", "Error", "ExitCode:3", "SchedulingGated").
std::string podStatus(const nlohmann::json& pod);

/// The `conditions` kube-apiserver attaches to a Table row: Completed for pods that succeeded
/// or failed; null for everything else.
nlohmann::json rowConditions(std::string_view group, std::string_view kind,
                             const nlohmann::json& object);

/// metav1.FormatLabelSelector: "app=web,tier in (db)", "<none>" for an empty or absent one,
/// "<error>" for an invalid one.
std::string formatLabelSelector(const nlohmann::json* selector);
/// labels.FormatLabels: "a=b,c=d" in key order, "<none>" when empty.
std::string formatLabels(const nlohmann::json& labels);

}  // namespace slipway::api
