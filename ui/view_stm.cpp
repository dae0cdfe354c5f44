// Views of transactional memory: TVars (value, version, commit lock), the
// version clock, each task's transaction (read set checked against the start
// version, write set buffered, locked, landed or dropped), and the contention
// chart of commits against rollbacks over time.
//
// Index
//   [SECTION] TVar and clock
//   [SECTION] Transactions
//   [SECTION] Contention
#include <algorithm>
#include <string>
#include <utility>

#include "engine/stm.hpp"
#include "ui/view_parts.hpp"

namespace such::ui {
namespace {

const engine::Stm* find_stm(const scenes::Run& run) {
    for (std::size_t i = 0; i < run.rt().object_count(); ++i) {
        const engine::Object& o = run.rt().object(static_cast<engine::ObjectId>(i));
        if (o.kind() == engine::ObjectKind::Clock) return static_cast<const engine::Stm*>(&o);
    }
    return nullptr;
}

// A chip after the previous item, or on the next line when it would not fit
// before the right edge of the space it is in (a table cell's, a window's);
// the first chip of a table cell starts the cell's line.
void same_line_chip(const std::string& text, unsigned colour, bool first = false) {
    if (!first) chip_same_line(text.c_str(), ImGui::GetCursorScreenPos().x + ImGui::GetContentRegionAvail().x, false);
    chip(text.c_str(), colour);
}

}  // namespace

// [SECTION] TVar and clock

void draw_tvar(const scenes::Run& run, const engine::Object& o, const engine::Snapshot& snap, const ViewMemory::Seen* seen) {
    const Palette& pal = palette();
    animated_value(o.name(), seen, snap.value);
    ImGui::PopFont();
    same_line_chip("version " + std::to_string(snap.version), pal.muted);
    if (snap.holder != engine::kNone) same_line_chip("commit lock: " + run.rt().task_name(snap.holder), pal.blocked);
    for (engine::TaskId w : snap.waiting) same_line_chip(run.rt().task_name(w) + " waits", pal.blocked);  // red, as its card
}

void draw_clock(const engine::Snapshot& snap) {
    ImGui::Text("version clock: %lld", static_cast<long long>(snap.version));
    ImGui::PopFont();
}

// [SECTION] Transactions

namespace {

unsigned status_colour(engine::TxStatus s) {
    const Palette& p = palette();
    switch (s) {
    case engine::TxStatus::Committed: return p.good;
    case engine::TxStatus::Aborted: return p.bad;
    case engine::TxStatus::Waiting: return p.blocked;
    case engine::TxStatus::Committing: return p.accent;
    default: return p.ready;
    }
}

// A dropped write fades out over a second after the rollback.
float dropped_alpha(const ViewContext& vc, engine::TaskId task, const engine::Tx& tx) {
    if (!vc.memory) return 0.35f;
    auto& at = vc.memory->tx_rolled_back;
    const double now = ImGui::GetTime();
    const auto key = std::make_pair(task, tx.attempt());
    auto it = at.find(key);
    if (it == at.end()) it = at.emplace(key, now).first;
    return std::max(0.25f, 1.0f - static_cast<float>(now - it->second));
}

// One table row per transaction: who, its state and attempt, what it read
// (checked at commit) and what it wrote (buffered, locked, landed, dropped).
// Without the table (a phone's column, too narrow for four columns: its cells cut
// their chips), the same as lines: who, state and attempt, then the sets, wrapping.
void draw_tx(const scenes::Run& run, engine::TaskId task, const engine::Tx& tx, const ViewContext& vc, bool table) {
    const Palette& pal = palette();
    const auto cell = [table](const char* words) {
        if (table) {
            ImGui::TableNextColumn();
        } else {
            chip_label(words);
        }
        return table;  // the cell's first chip starts its line; a line's follows its words
    };
    if (table) {
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
    }
    chip_label(run.rt().task_name(task).c_str(), false);  // level with the chips of its row
    if (table) {
        ImGui::TableNextColumn();
    } else {
        ImGui::SameLine();
    }
    chip(std::string(engine::to_string(tx.status())).c_str(), status_colour(tx.status()));
    ImGui::SameLine();
    chip_label(("#" + std::to_string(tx.attempt()) + " from v" + std::to_string(tx.read_version())).c_str());
    // Reads: grey until validated, then green (still current) or red (stale). As lines, an empty set says nothing.
    bool first = table || !tx.reads().empty() ? cell("  read") : false;
    for (const auto& r : tx.reads()) {
        const std::string label = r.var->name() + " v" + std::to_string(r.version);
        same_line_chip(label, r.check > 0 ? pal.good : r.check < 0 ? pal.bad : pal.muted, std::exchange(first, false));
    }
    // Writes: blue buffered, amber locked, green landed, red fading when dropped.
    first = table || !tx.writes().empty() ? cell("  wrote") : false;
    const bool rolled_back = tx.status() == engine::TxStatus::Aborted || tx.status() == engine::TxStatus::Waiting;
    const float fade = rolled_back ? dropped_alpha(vc, task, tx) : 1.0f;
    for (const auto& w : tx.writes()) {
        using W = engine::Tx::Write;
        const std::string label = w.var->name() + ":=" + run.value_text(w.value);
        const unsigned colour = w.state == W::Buffered ? pal.accent : w.state == W::Locked ? pal.ready : w.state == W::Landed ? pal.good
                                                                                                                             : with_alpha(pal.bad, fade);
        same_line_chip(label, colour, std::exchange(first, false));
    }
}

void draw_legend() {
    const Palette& pal = palette();
    struct Key {
        const char* name;
        unsigned colour;
    };
    const Key reads[] = {{"read", pal.muted}, {"still current", pal.good}, {"stale", pal.bad}};
    const Key writes[] = {{"buffered", pal.accent}, {"locked", pal.ready}, {"landed", pal.good}, {"dropped", with_alpha(pal.bad, 0.5f)}};
    chip_label("reads:");
    for (const Key& k : reads) same_line_chip(k.name, k.colour);
    // The writes' key goes on the reads' line if all of it fits there, or
    // starts a line of its own: a chip alone on a line reads as a stray.
    float group = ImGui::CalcTextSize("  writes:").x;
    for (const Key& k : writes) group += ImGui::GetStyle().ItemSpacing.x + chip_width(k.name);
    ImGui::SameLine();
    const bool own_line = ImGui::GetContentRegionAvail().x < group;
    if (own_line) ImGui::NewLine();
    chip_label(own_line ? "writes:" : "  writes:");
    for (const Key& k : writes) same_line_chip(k.name, k.colour);
}

// [SECTION] Contention

}  // namespace

// Commits (up) and rollbacks (down) per slice of the run, from the trace.
void draw_contention(const scenes::Run& run) {
    const engine::Stm* stm = find_stm(run);
    if (!stm) return;
    const engine::StmStats st = stm->stats();
    const Palette& pal = palette();
    const auto& events = run.rt().trace().events();
    const std::uint64_t end = events.empty() ? 1 : std::max<std::uint64_t>(1, events.back().time + 1);
    constexpr int kBuckets = 32;
    int commits[kBuckets] = {}, aborts[kBuckets] = {};
    int most = 1;
    for (const auto& e : events) {
        if (e.kind != engine::EventKind::TxCommit && e.kind != engine::EventKind::TxAbort) continue;
        const auto b = static_cast<std::size_t>(std::min<std::uint64_t>(kBuckets - 1, e.time * kBuckets / end));
        int& n = e.kind == engine::EventKind::TxCommit ? commits[b] : aborts[b];
        most = std::max(most, ++n);
    }
    const std::uint64_t rollbacks = st.aborts_total();
    ImGui::Text("%llu commits, %llu rollbacks, %llu retries", static_cast<unsigned long long>(st.commits),
                static_cast<unsigned long long>(rollbacks), static_cast<unsigned long long>(st.retries));
    if (st.commits) {
        ImGui::SameLine();
        ImGui::TextDisabled("(%.2f attempts per commit)", static_cast<double>(st.attempts) / static_cast<double>(st.commits));
    }
    if (rollbacks) {
        std::string causes = "rollbacks by cause:";
        for (int c = 0; c < engine::kAbortCauses; ++c) {
            if (st.aborts[c]) causes += " " + std::to_string(st.aborts[c]) + " " + std::string(engine::to_string(static_cast<engine::AbortCause>(c))) + ";";
        }
        causes.pop_back();
        ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
        ImGui::TextWrapped("%s", causes.c_str());
        ImGui::PopStyleColor();
    }
    const float h = std::max(ImGui::GetTextLineHeight() * 1.5f, (ImGui::GetContentRegionAvail().y - ImGui::GetTextLineHeightWithSpacing() * 1.5f) / 2);
    const float w = ImGui::GetContentRegionAvail().x;
    const ImVec2 p = ImGui::GetCursorScreenPos();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float mid = p.y + h;
    const float bar = w / kBuckets;
    for (int b = 0; b < kBuckets; ++b) {
        const float x = p.x + static_cast<float>(b) * bar;
        const float up = h * static_cast<float>(commits[b]) / static_cast<float>(most);
        const float down = h * static_cast<float>(aborts[b]) / static_cast<float>(most);
        if (up > 0) dl->AddRectFilled(ImVec2(x + 1, mid - up), ImVec2(x + bar - 1, mid), pal.good, 2.0f);
        if (down > 0) dl->AddRectFilled(ImVec2(x + 1, mid), ImVec2(x + bar - 1, mid + down), pal.bad, 2.0f);
    }
    dl->AddLine(ImVec2(p.x, mid), ImVec2(p.x + w, mid), pal.muted, 1.0f);
    ImGui::Dummy(ImVec2(w, 2 * h));
    ImGui::TextDisabled("commits above the line, rollbacks below, over time");
}

bool has_transactions(const scenes::Run& run) { return find_stm(run) != nullptr; }

bool draw_transactions(const scenes::Run& run, const ViewContext& vc) {
    const engine::Stm* stm = find_stm(run);
    if (!stm) return false;
    ImGui::Separator();
    // Padded at its outer edges too: a write-set chip that just fitted its cell touched the table's right edge.
    if (!run.is_real() && vc.stacked) {
        for (std::size_t t = 0; t < run.rt().task_count(); ++t) {
            const auto task = static_cast<engine::TaskId>(t);
            if (const engine::Tx* tx = stm->tx_of(task); tx && tx->attempt() > 0) draw_tx(run, task, *tx, vc, false);
        }
        draw_legend();
    } else if (!run.is_real() && ImGui::BeginTable("transactions", 4, ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_PadOuterX)) {
        ImGui::TableSetupColumn("task", ImGuiTableColumnFlags_WidthFixed);
        ImGui::TableSetupColumn("attempt", ImGuiTableColumnFlags_WidthFixed);
        // A write's chip ("acct1:=110") is longer than a read's ("acct1 v0"): the write set takes the wider share.
        ImGui::TableSetupColumn("read set", ImGuiTableColumnFlags_WidthStretch, 1.0f);
        ImGui::TableSetupColumn("write set", ImGuiTableColumnFlags_WidthStretch, 1.25f);
        ImGui::TableHeadersRow();
        for (std::size_t t = 0; t < run.rt().task_count(); ++t) {
            const auto task = static_cast<engine::TaskId>(t);
            if (const engine::Tx* tx = stm->tx_of(task); tx && tx->attempt() > 0) draw_tx(run, task, *tx, vc, true);
        }
        ImGui::EndTable();
        draw_legend();
    }
    return true;
}

}  // namespace such::ui
