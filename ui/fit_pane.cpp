// Panes that shrink their text to fit (see fit_pane.hpp).
#include "ui/fit_pane.hpp"

#include <algorithm>
#include <map>
#include <tuple>
#include <utility>
#include <vector>

#include "imgui.h"
#include "imgui_internal.h"

namespace such::ui {
namespace {

using FitKey = std::tuple<ImGuiID, std::size_t, int, int, int>;  // pane, page, font px, display w, h
struct Fit {
    float scale = 1.0f;
    int overflowed = -2;  // the last frame whose content overflowed the pane
    bool may_grow = false;  // the next measure may give the text back what the content does not need
    float overflowed_at = 2.0f;  // the smallest scale the content overflowed at: growing stays under it
};
std::map<FitKey, Fit> g_fits;
std::vector<Fit*> g_open;  // each fitted pane being drawn, innermost last

}  // namespace

void begin_fitted(std::size_t page) {
    const ImGuiWindow* w = ImGui::GetCurrentWindow();
    const ImVec2 display = ImGui::GetMainViewport()->Size;
    // The font's own size, not the pane's scaled one: a shrunk pane keeps its key.
    const int font_px = static_cast<int>(ImGui::GetCurrentContext()->FontBaseSize);
    const FitKey key{w->ID, page, font_px, static_cast<int>(display.x), static_cast<int>(display.y)};
    Fit& fit = g_fits.try_emplace(key).first->second;
    g_open.push_back(&fit);
    const float scale = fit.scale;
    ImGui::SetWindowFontScale(scale);
    // The gaps between lines and around frames shrink with the text.
    const ImGuiStyle& st = ImGui::GetStyle();
    ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(st.ItemSpacing.x * scale, st.ItemSpacing.y * scale));
    ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, ImVec2(st.FramePadding.x * scale, st.FramePadding.y * scale));
}

float fitted_scale() { return g_open.empty() ? 1.0f : g_open.back()->scale; }

namespace {
int g_unsettled = -10;  // the last frame a pane's text size moved or was about to

// end_fitted's measure and its one step toward a size that fits.
Hidden fit_step(Fit& fit, float floor, bool across, bool down) {
    float& scale = fit.scale;
    ImGui::PopStyleVar(2);
    // What ImGui takes for the content size (CalcWindowContentSizes) against
    // what the pane shows inside its padding (its ScrollMax is the difference).
    const ImGuiWindow* w = ImGui::GetCurrentWindow();
    const float content_w = IM_FLOOR(w->DC.CursorMaxPos.x - w->DC.CursorStartPos.x);
    const float content_h = IM_FLOOR(w->DC.CursorMaxPos.y - w->DC.CursorStartPos.y);
    // A pane that takes its content's height next frame shows a scrollbar only for the frame its content
    // grew: the width that bar takes is the pane's again next frame.
    const float passing_bar = !down && w->ScrollbarY ? ImGui::GetStyle().ScrollbarSize : 0.0f;
    const float room_w = w->InnerRect.GetWidth() - w->WindowPadding.x * 2.0f + passing_bar;
    const float room_h = w->InnerRect.GetHeight() - w->WindowPadding.y * 2.0f;
    // A pane's first frame is not laid out yet: nothing to measure.
    if (w->Appearing || room_w < 1.0f || room_h < 1.0f) return {};
    const Hidden hidden{down && content_h > room_h, across && content_w > room_w};
    if (std::exchange(fit.may_grow, false) && !hidden.below && !hidden.across && scale < 1.0f && content_h > 0.0f && content_w > 0.0f) {
        // After a restart or a new beat: as large as the content's height now allows, never past full size
        // nor to a size that overflowed since, a little under as when shrinking. (Not by its width: wrapped
        // text and a drawing sized to the pane always fill it. A long line that then overflows shrinks the
        // pane back two frames later.) Content that does not grow with the text (a drawing sized to the
        // pane) grows less than the ratio says: the next measure tries again while a try gains something.
        const float fill = down ? room_h / content_h : room_w / content_w;
        const float before = scale;
        scale = std::min({1.0f, fit.overflowed_at * 0.97f, std::max(scale, scale * fill * 0.97f)});
        fit.may_grow = scale > before * 1.005f;
        return {};
    }
    float ratio = 1.0f;
    if (hidden.below) ratio = std::min(ratio, room_h / content_h);
    if (hidden.across) ratio = std::min(ratio, room_w / content_w);
    if (!hidden.below && !hidden.across) return {};
    // Content that overflows for one frame only is not shrunk for: what grew (an error under the code, a
    // message) takes its room from the pane's other parts the next frame (the editor gives back the lines),
    // and a scale never grows back to a size that overflowed on the same page.
    const int frame = ImGui::GetFrameCount();
    const bool lasting = fit.overflowed == frame - 1;
    fit.overflowed = frame;
    if (!lasting) return {};
    if (scale <= floor) return hidden;
    // A little under the ratio: the pane's padding does not shrink with the text. Wrapped text and rows
    // that wrap take fewer lines at a smaller size than the ratio assumes: a step shrinks by at most a
    // sixth, and the next measures take the next steps, so the text ends no smaller than it needs.
    fit.overflowed_at = std::min(fit.overflowed_at, scale);
    scale = std::max(floor, scale * std::max(ratio * 0.97f, 0.85f));
    // A step of a sixth may go past what the content needs: once it fits, the next measure gives back
    // what it leaves, under the size that overflowed.
    fit.may_grow = true;
    return {};
}
}  // namespace

Hidden end_fitted(float floor, bool across, bool down) {
    if (g_open.empty()) return {};
    Fit& fit = *g_open.back();
    g_open.pop_back();
    const float before = fit.scale;
    const Hidden hidden = fit_step(fit, floor, across, down);
    // Still moving: the size changed, a grow is to be tried next, or an overflow waits for its second frame.
    const int frame = ImGui::GetFrameCount();
    if (fit.scale != before || fit.may_grow || (fit.overflowed == frame && fit.scale > floor)) g_unsettled = frame;
    return hidden;
}

void note_unsettled() { g_unsettled = ImGui::GetFrameCount(); }

bool fits_settling() { return ImGui::GetCurrentContext() && ImGui::GetFrameCount() - g_unsettled <= 1; }

void let_fits_grow() {
    for (auto& [key, fit] : g_fits) {
        fit.may_grow = true;
        fit.overflowed_at = 2.0f;  // the content may be smaller now
    }
}

}  // namespace such::ui
