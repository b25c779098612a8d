// SPDX-License-Identifier: Apache-2.0
// batch/v1 Jobs and CronJobs (pkg/apis/batch/validation): run-to-completion restart policies,
// generated selectors, cron schedules.
#include "engine/api/cron_schedule.h"
#include "engine/api/json_fields.h"
#include "engine/api/kind_validation.h"

namespace slipway::api::detail {
namespace {

constexpr std::string_view kControllerUidLabel = "batch.kubernetes.io/controller-uid";
constexpr std::string_view kLegacyControllerUidLabel = "controller-uid";

// validateJobSpec: what a Job and a CronJob's jobTemplate share.
FieldCauses validateJobSpecCommon(const json& spec, const FieldPath& path) {
    FieldCauses causes;
    for (const std::string_view key : {"parallelism", "completions", "activeDeadlineSeconds",
                                       "backoffLimit", "ttlSecondsAfterFinished"}) {
        checkNonnegative(causes, spec, key, path);
    }
    if (const json* mode = member(spec, "completionMode"); mode != nullptr && !mode->is_null()) {
        const std::string value = asString(*mode);
        if (value != "NonIndexed" && value != "Indexed") {
            causes.push_back(field::notSupported(path.child("completionMode"), *mode,
                                                 {"NonIndexed", "Indexed"}));
        }
        if (value == "Indexed" && !has(spec, {"completions"})) {
            causes.push_back(
                field::required(path.child("completions"), "when completion mode is Indexed"));
        }
    }
    if (const json* policy = member(spec, "podReplacementPolicy");
        policy != nullptr && !policy->is_null()) {
        const std::string value = asString(*policy);
        if (value != "TerminatingOrFailed" && value != "Failed") {
            causes.push_back(field::notSupported(path.child("podReplacementPolicy"), *policy,
                                                 {"TerminatingOrFailed", "Failed"}));
        }
    }
    append(causes, validatePodTemplateSpec(objectAt(spec, {"template"}), path.child("template")));
    const FieldPath restartPath = path.child("template").child("spec").child("restartPolicy");
    const std::string restartPolicy = stringAt(spec, {"template", "spec", "restartPolicy"});
    if (restartPolicy != "OnFailure" && restartPolicy != "Never") {
        causes.push_back(field::notSupported(restartPath, restartPolicy, {"OnFailure", "Never"}));
    } else if (restartPolicy == "OnFailure" && has(spec, {"podFailurePolicy"})) {
        causes.push_back(field::invalid(restartPath, restartPolicy,
                                        "only \"Never\" is supported when podFailurePolicy is "
                                        "specified"));
    }
    return causes;
}

}  // namespace

FieldCauses validateJob(const json& object, const json* old) {
    FieldCauses causes;
    const FieldPath path("spec");
    const json& spec = objectAt(object, {"spec"});
    const json* selector = member(spec, "selector");
    const bool hasSelector = selector != nullptr && !selector->is_null();

    // A generated selector (the usual case) must be the one the server generated.
    if (!boolAt(spec, {"manualSelector"}) && hasSelector) {
        const std::string uid = stringAt(object, {"metadata", "uid"});
        const json& labels = objectAt(spec, {"template", "metadata", "labels"});
        for (const std::string_view label : {kLegacyControllerUidLabel, kControllerUidLabel}) {
            if (const json* value = member(labels, label);
                value != nullptr && asString(*value) != uid) {
                causes.push_back(
                    field::invalidRendered(path.child("template").child("metadata").child("labels"),
                                           goStringMap(&labels), "`selector` not auto-generated"));
            }
        }
        if (stringAt(*selector, {"matchLabels", kControllerUidLabel}) != uid) {
            causes.push_back(field::invalidRendered(path.child("selector"),
                                                    goLabelSelector(*selector),
                                                    "`selector` not auto-generated"));
        }
    }

    append(causes, validateJobSpecCommon(spec, path));
    if (!hasSelector) {
        causes.push_back(field::required(path.child("selector")));
    } else {
        append(causes, validateLabelSelector(*selector, path.child("selector")));
    }
    const json* labels = at(spec, {"template", "metadata", "labels"});
    bool valid = true;
    const bool matches =
        selectorMatches(selector, labels != nullptr ? *labels : json::object(), &valid);
    if (valid && !matches) {
        causes.push_back(field::invalidRendered(
            path.child("template").child("metadata").child("labels"), goStringMap(labels),
            "`selector` does not match template `labels`"));
    }

    if (old != nullptr) {
        const json& oldSpec = objectAt(*old, {"spec"});
        for (const char* key : {"selector", "completionMode", "podFailurePolicy", "completions"}) {
            const json* now = member(spec, key);
            const json* then = member(oldSpec, key);
            const json nowValue = now != nullptr ? *now : json();
            const json thenValue = then != nullptr ? *then : json();
            const std::string rendered =
                std::string(key) == "selector" && now != nullptr && now->is_object()
                    ? goLabelSelector(*now, false)
                    : std::string();
            append(causes, validateImmutable(nowValue, thenValue, path.child(key), rendered));
        }
        // The template may change only while the Job is suspended (and then only its scheduling
        // directives); kube-apiserver reports the whole template as immutable otherwise.
        const json* podTemplate = member(spec, "template");
        const json* oldTemplate = member(oldSpec, "template");
        if (!boolAt(oldSpec, {"suspend"}) && podTemplate != nullptr && oldTemplate != nullptr &&
            *podTemplate != *oldTemplate) {
            causes.push_back(field::invalidRendered(
                path.child("template"), "core.PodTemplateSpec{...}", "field is immutable"));
        }
    }
    return causes;
}

FieldCauses validateCronJob(const json& object, const json* old) {
    FieldCauses causes;
    const FieldPath path("spec");
    const json& spec = objectAt(object, {"spec"});

    const std::string schedule = stringAt(spec, {"schedule"});
    if (schedule.empty()) {
        causes.push_back(field::required(path.child("schedule")));
    } else {
        if (auto parsed = CronSchedule::parse(schedule); !parsed) {
            causes.push_back(
                field::invalid(path.child("schedule"), schedule, parsed.error().message()));
        }
        // A TZ in the schedule is tolerated only on objects that already had one.
        const bool hadTz =
            old != nullptr && stringAt(*old, {"spec", "schedule"}).find("TZ") != std::string::npos;
        if (schedule.find("TZ") != std::string::npos) {
            if (!hadTz) {
                causes.push_back(field::invalid(path.child("schedule"), schedule,
                                                "cannot use TZ or CRON_TZ in schedule, use "
                                                "timeZone field instead"));
            } else if (has(spec, {"timeZone"})) {
                causes.push_back(field::invalid(path.child("schedule"), schedule,
                                                "cannot use both timeZone field and TZ or CRON_TZ "
                                                "in schedule"));
            }
        }
    }
    checkNonnegative(causes, spec, "startingDeadlineSeconds", path);
    const std::string concurrency = stringAt(spec, {"concurrencyPolicy"});
    if (concurrency.empty()) {
        causes.push_back(field::required(path.child("concurrencyPolicy")));
    } else if (concurrency != "Allow" && concurrency != "Forbid" && concurrency != "Replace") {
        causes.push_back(field::notSupported(path.child("concurrencyPolicy"), concurrency,
                                             {"Allow", "Forbid", "Replace"}));
    }

    const FieldPath templatePath = path.child("jobTemplate");
    const json& jobSpec = objectAt(spec, {"jobTemplate", "spec"});
    append(causes, validateJobSpecCommon(jobSpec, templatePath.child("spec")));
    if (const json* selector = member(jobSpec, "selector");
        selector != nullptr && !selector->is_null()) {
        causes.push_back(field::invalidRendered(templatePath.child("spec").child("selector"),
                                                goLabelSelector(*selector, false),
                                                "`selector` will be auto-generated"));
    }
    if (boolAt(jobSpec, {"manualSelector"})) {
        causes.push_back(field::notSupported(templatePath.child("spec").child("manualSelector"),
                                             true, {"nil", "false"}));
    }
    checkNonnegative(causes, spec, "successfulJobsHistoryLimit", path);
    checkNonnegative(causes, spec, "failedJobsHistoryLimit", path);
    if (const json* timeZone = member(spec, "timeZone");
        timeZone != nullptr && !timeZone->is_null()) {
        const std::string zone = asString(*timeZone);
        if (zone.empty()) {
            causes.push_back(field::invalid(path.child("timeZone"), zone,
                                            "timeZone must be nil or non-empty string"));
        } else if (zone == "Local" || zone == "local" || zone == "LOCAL") {
            causes.push_back(field::invalid(path.child("timeZone"), zone,
                                            "timeZone must be an explicit time zone as defined "
                                            "in https://www.iana.org/time-zones"));
        }
    }

    if (old == nullptr) {
        // The controller names Jobs "<cronjob>-<11 characters>": 52 + 11 = 63, a label's maximum.
        const std::string name = stringAt(object, {"metadata", "name"});
        if (name.size() > 52) {
            causes.push_back(field::invalid(FieldPath("metadata").child("name"), name,
                                            "must be no more than 52 characters"));
        }
    }
    return causes;
}

}  // namespace slipway::api::detail
