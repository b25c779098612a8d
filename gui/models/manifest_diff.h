// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>
#include <string_view>

namespace slipway::gui {

/// A unified diff of two texts, line by line, as `diff -u` prints it: `--- fromLabel`,
/// `+++ toLabel`, then hunks `@@ -a,b +c,d @@` with `context` unchanged lines around each
/// change. Empty when the texts are equal.
///
/// Lines are matched by their longest common subsequence. That costs O(N·M) time and memory,
/// fine for manifests; texts of more than kMaxDiffLines lines are compared as one changed
/// block instead.
std::string unifiedDiff(std::string_view from, std::string_view to, std::string_view fromLabel,
                        std::string_view toLabel, int context = 3);

inline constexpr std::size_t kMaxDiffLines = 5000;

}  // namespace slipway::gui
