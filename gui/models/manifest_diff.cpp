// SPDX-License-Identifier: Apache-2.0
#include "gui/models/manifest_diff.h"

#include <algorithm>
#include <vector>

namespace slipway::gui {

namespace {

std::vector<std::string_view> linesOf(std::string_view text) {
    std::vector<std::string_view> lines;
    while (!text.empty()) {
        const auto newline = text.find('\n');
        if (newline == std::string_view::npos) {
            lines.push_back(text);
            break;
        }
        lines.push_back(text.substr(0, newline));
        text.remove_prefix(newline + 1);
    }
    return lines;
}

/// One line of the edit script: ' ' kept, '-' only in `from`, '+' only in `to`.
struct Op {
    char kind;
    std::size_t fromLine;  // index of the line in `from` (kept and removed lines)
    std::size_t toLine;    // index in `to` (kept and added lines)
};

std::vector<Op> editScript(const std::vector<std::string_view>& a,
                           const std::vector<std::string_view>& b) {
    std::vector<Op> ops;
    const std::size_t n = a.size();
    const std::size_t m = b.size();
    if (n > kMaxDiffLines || m > kMaxDiffLines) {
        for (std::size_t i = 0; i < n; ++i) {
            ops.push_back({'-', i, 0});
        }
        for (std::size_t j = 0; j < m; ++j) {
            ops.push_back({'+', n, j});
        }
        return ops;
    }
    // lcs[i][j]: length of the longest common subsequence of a[i..] and b[j..].
    std::vector<std::vector<unsigned>> lcs(n + 1, std::vector<unsigned>(m + 1, 0));
    for (std::size_t i = n; i-- > 0;) {
        for (std::size_t j = m; j-- > 0;) {
            lcs[i][j] =
                a[i] == b[j] ? lcs[i + 1][j + 1] + 1 : std::max(lcs[i + 1][j], lcs[i][j + 1]);
        }
    }
    std::size_t i = 0;
    std::size_t j = 0;
    while (i < n || j < m) {
        if (i < n && j < m && a[i] == b[j]) {
            ops.push_back({' ', i++, j++});
        } else if (i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1])) {
            ops.push_back({'-', i++, j});  // removals first, as diff -u prints them
        } else {
            ops.push_back({'+', i, j++});
        }
    }
    return ops;
}

}  // namespace

std::string unifiedDiff(std::string_view from, std::string_view to, std::string_view fromLabel,
                        std::string_view toLabel, int context) {
    const auto a = linesOf(from);
    const auto b = linesOf(to);
    const auto ops = editScript(a, b);
    const auto ctx = static_cast<std::size_t>(std::max(0, context));
    std::string out;
    std::size_t k = 0;
    while (k < ops.size()) {
        // The next change, and the hunk around it: changes closer than 2·context join it.
        while (k < ops.size() && ops[k].kind == ' ') {
            ++k;
        }
        if (k == ops.size()) {
            break;
        }
        const std::size_t start = k >= ctx ? k - ctx : 0;
        std::size_t end = k;
        std::size_t lastChange = k;
        while (end < ops.size()) {
            if (ops[end].kind != ' ') {
                lastChange = end;
            } else if (end - lastChange > 2 * ctx) {
                break;
            }
            ++end;
        }
        end = std::min(ops.size(), lastChange + ctx + 1);
        std::size_t fromCount = 0;
        std::size_t toCount = 0;
        for (std::size_t h = start; h < end; ++h) {
            fromCount += ops[h].kind != '+' ? 1U : 0U;
            toCount += ops[h].kind != '-' ? 1U : 0U;
        }
        if (out.empty()) {
            out += "--- " + std::string(fromLabel) + "\n+++ " + std::string(toLabel) + "\n";
        }
        // diff -u numbers an empty range by the line before it.
        const std::size_t fromStart =
            fromCount == 0 ? ops[start].fromLine : ops[start].fromLine + 1;
        const std::size_t toStart = toCount == 0 ? ops[start].toLine : ops[start].toLine + 1;
        out += "@@ -" + std::to_string(fromStart) + "," + std::to_string(fromCount) + " +" +
               std::to_string(toStart) + "," + std::to_string(toCount) + " @@\n";
        for (std::size_t h = start; h < end; ++h) {
            const Op& op = ops[h];
            out += op.kind;
            out += op.kind == '+' ? b[op.toLine] : a[op.fromLine];
            out += '\n';
        }
        k = end;
    }
    return out;
}

}  // namespace slipway::gui
