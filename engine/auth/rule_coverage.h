// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>
#include <vector>

#include "engine/auth/rbac_policy.h"

namespace slipway::auth {

/// The rules of `servant` that no rule of `owner` covers, broken down to one verb, one API
/// group, one resource and at most one resource name each (or one verb and one non-resource
/// URL): empty when `owner` holds every permission `servant` grants (kube's validation.Covers).
///
/// A broken-down rule is covered by a single owner rule that has its verb (or "*"), its group
/// (or "*"), its resource (or "*"), its resource name (or no resource names at all) and a
/// non-resource URL equal to it or ending in "*" before a prefix of it. A servant rule
/// without API groups or without verbs grants nothing and needs nothing.
std::vector<PolicyRule> uncoveredRules(const std::vector<PolicyRule>& owner,
                                       const std::vector<PolicyRule>& servant);

/// `rule` as one rule per verb, API group, resource and resource name, and per verb and
/// non-resource URL (kube's BreakdownRule).
std::vector<PolicyRule> breakdownRule(const PolicyRule& rule);

/// Merges rules that name one API group, one resource and at most one resource name and
/// differ only in their verbs (kube's CompactRules): 3 missing rules
///   {"" pods get} {"" pods list} {apps deployments get}
/// become 2, {"" pods get,list} and {apps deployments get}. Other rules pass unchanged.
std::vector<PolicyRule> compactRules(const std::vector<PolicyRule>& rules);

/// A rule as kube-apiserver writes it in escalation errors (rbacv1helpers.CompactString):
///   {APIGroups:["apps"], Resources:["deployments"], ResourceNames:["web"], Verbs:["get" "list"]}
/// with Go's %q quoting and only the fields that are set.
std::string compactString(const PolicyRule& rule);

/// kube's fullAuthority: everything on every resource and every non-resource URL.
std::vector<PolicyRule> fullAuthority();

}  // namespace slipway::auth
