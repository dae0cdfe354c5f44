// The app frame's drawing: menu bar, scene list, transport, the real-run
// panel and the scene page. Behaviour lives in app.cpp; this file lays it out.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <limits>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "imgui.h"
#include "imgui_internal.h"
#include "scenes/program.hpp"
#include "ui/app.hpp"
#include "ui/compare_slide.hpp"
#include "ui/fit_pane.hpp"
#include "ui/keys.hpp"
#include "ui/playground.hpp"
#include "ui/view_parts.hpp"
#include "ui/views.hpp"

namespace such::ui {
namespace {
// A scene's panes shrink their text to show all they hold, to no less than
// this of the body text (12 px of 22 on 1920x1080), and never below 10 px.
constexpr float kPaneFloor = 0.55f;
constexpr float kSmallestPx = 10.0f;
}  // namespace

bool App::narrow_window() { return ImGui::GetMainViewport()->Size.x < kNarrowPx; }

void App::fit_display(float width, float height) {
    stacked_ = width < kNarrowPx;
    // Text shrinks with a smaller display, in steps of 5% so that resizing
    // a window rebuilds the fonts a few times, not every frame.
    // A phone's column is a page that scrolls: its text needs no shrinking to fit the screen's height, and
    // by width alone a 390 px phone took it to half size (11 px, code and buttons too small for a finger).
    const float fitted = std::floor(std::min(width / kLayoutWidth, height / kLayoutHeight) * 20.0f) / 20.0f;
    const float fit = std::clamp(width < kNarrowPx ? std::max(fitted, kStackedFit) : fitted, 0.5f, 1.0f);
    if (fit != display_fit_) {
        display_fit_ = fit;
        fonts_dirty_ = true;
    }
}

namespace {
// A drag that started on a pane's empty space (no widget took it) scrolls
// the pane, or the nearest one around it that can still scroll that way: a
// finger on a phone, where the stacked panes are a column taller than the
// screen and the scrollbar a few pixels wide. (ImGui 1.86 scrolls by wheel
// and scrollbar only.)
void drag_to_scroll() {
    ImGuiContext& g = *ImGui::GetCurrentContext();
    const ImGuiIO& io = g.IO;
    if (!io.MouseDown[0] || io.MouseClicked[0] || (io.MouseDelta.x == 0.0f && io.MouseDelta.y == 0.0f)) return;
    ImGuiWindow* w = g.ActiveIdWindow;
    // Pressing a window's background makes its move handle the active item (even where it cannot move).
    if (!w || g.ActiveId != w->MoveId) return;
    // Whether a window can move by -delta along one axis (a finger moving up scrolls down).
    const auto can = [](float scroll, float most, float delta) { return delta < 0.0f ? scroll < most - 0.5f : delta > 0.0f && scroll > 0.5f; };
    bool vertical = io.MouseDelta.y != 0.0f, across = io.MouseDelta.x != 0.0f;
    // From the pane the drag began on, wherever the finger is now.
    for (ImGuiWindow* at = w; at && (vertical || across); at = (at->Flags & ImGuiWindowFlags_ChildWindow) ? at->ParentWindow : nullptr) {
        if (vertical && can(at->Scroll.y, at->ScrollMax.y, io.MouseDelta.y)) {
            ImGui::SetScrollY(at, std::clamp(at->Scroll.y - io.MouseDelta.y, 0.0f, at->ScrollMax.y));
            vertical = false;
        }
        if (across && can(at->Scroll.x, at->ScrollMax.x, io.MouseDelta.x)) {
            ImGui::SetScrollX(at, std::clamp(at->Scroll.x - io.MouseDelta.x, 0.0f, at->ScrollMax.x));
            across = false;
        }
    }
}
}  // namespace

void App::frame(float dt) {
    drag_to_scroll();
    // On stage a slide's run plays at its talk pace.
    player_.pass(dt, talk_.on() ? talk_.pace() : player_.speed(), scene_open());
    real_.poll();
    explorer_.tick();
    CompareSlide* compare = talk_.compare();
    if (compare) compare->poll();
    if (std::exchange(close_popup_, false)) {
        const int open = ImGui::GetCurrentContext()->OpenPopupStack.Size;
        if (open > 0) ImGui::ClosePopupToLevel(open - 1, true);
    }
    bool stepped = false;
    while (player_.step_due()) {
        if (compare) {
            player_.set_playing(compare->step());
        } else {
            step_forward();
        }
        stepped = true;
    }
    if (stepped) challenges_.check(player_);  // commands check after themselves; playing steps here

    const ImGuiViewport* vp = ImGui::GetMainViewport();
    fit_display(vp->Size.x, vp->Size.y);
    ImGui::SetNextWindowPos(vp->WorkPos);
    ImGui::SetNextWindowSize(vp->WorkSize);
    // No background of its own: the frame is cleared to the window colour
    // first (Shell::present), and a second full-screen fill costs software GL
    // (a browser without a GPU) a third of its frame.
    ImGui::Begin("Such Concurrency", nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBackground |
                     (talk_.on() ? 0 : ImGuiWindowFlags_MenuBar) | ImGuiWindowFlags_NoBringToFrontOnFocus);
    if (!talk_.on()) draw_menu_bar();
    if (talk_.on()) {
        run_asked(talk_.draw({player_, explorer_, fonts_, last_error_}));
    } else if (player_.run()) {
        draw_scene_page();
    } else if (challenges_.page()) {
        run_asked(challenges_.draw_page(fonts_, last_error_));
    } else {
        draw_menu_page();
    }
    if (!talk_.on()) draw_trace_popup();
    ImGui::End();
    help_drawn_ = draw_key_help(help_open_);
    run_playground_requests();
}

void App::draw_menu_bar() {
    if (!ImGui::BeginMenuBar()) return;
    if (ImGui::BeginMenu("Scenes")) {
        for (const scenes::Scene& s : scenes::catalogue()) {
            if (ImGui::MenuItem(s.title.c_str(), s.id.c_str())) open_scene(s, {});
        }
        ImGui::Separator();
        if (ImGui::MenuItem("All scenes", "Esc")) show_menu();
        ImGui::Separator();
        draw_trace_menu_items();
        ImGui::EndMenu();
    }
    if (ImGui::BeginMenu("Playground")) {
        if (ImGui::MenuItem("Open the playground", "#play")) command("playground");
        ImGui::Separator();
        for (const scenes::Example& e : scenes::examples()) {
            if (ImGui::MenuItem(e.title.c_str())) command("example " + e.id);
        }
        ImGui::EndMenu();
    }
    if (ImGui::BeginMenu("Talk")) {
        if (ImGui::MenuItem("Present the talk", "F5")) command("talk");
        if (ImGui::MenuItem("Challenges: be the scheduler", "C")) command("challenges");
        ImGui::EndMenu();
    }
    if (ImGui::BeginMenu("View")) {
        if (ImGui::MenuItem(theme_ == Theme::Dark ? "Light theme (projector)" : "Dark theme", "T")) command("theme");
        if (ImGui::MenuItem("Zoom in", "Ctrl +")) command("zoom+");
        if (ImGui::MenuItem("Zoom out", "Ctrl -")) command("zoom-");
        if (ImGui::MenuItem("Fullscreen", "F")) command("fullscreen");
        ImGui::Separator();
        // The one way to the keys on a phone, and the way to find them on a desktop.
        if (ImGui::MenuItem("Keys and help", "? F1")) command("help");
        ImGui::EndMenu();
    }
    if (player_.scene()) {
        // The page's link, cut with an ellipsis where the bar ends (a phone; a program's long link).
        const std::string shown = "|  " + link_;
        const ImVec2 at = ImGui::GetCursorScreenPos();
        const float end = at.x + std::max(0.0f, ImGui::GetContentRegionAvail().x);
        const float width = std::min(ImGui::CalcTextSize(shown.c_str()).x, end - at.x);
        ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyle().Colors[ImGuiCol_TextDisabled]);
        ImGui::RenderTextEllipsis(ImGui::GetWindowDrawList(), at, ImVec2(end, at.y + ImGui::GetFontSize()), end, end, shown.c_str(),
                                  shown.c_str() + shown.size(), nullptr);
        ImGui::PopStyleColor();
        ImGui::Dummy(ImVec2(width, ImGui::GetFontSize()));
    }
    ImGui::EndMenuBar();
}

namespace {
// What a section of the catalogue is about, in one line: the models table's
// scheduling, communication and an example language for a model's section.
std::string section_line(const scenes::Scene& first) {
    if (first.section == "General concepts") return "The words every model uses: concurrency, parallelism, scheduling, atomicity.";
    if (first.section == "Conclusion") return "The same job in every model, measured: use the best tool.";
    const scenes::ModelRow& r = first.row;
    return r.scheduling + "; " + r.communication + ". E.g. " + r.example + ".";
}

// A button whose label wraps onto more lines instead of being cut.
bool wrapped_button(const char* label, float width) {
    const ImGuiStyle& style = ImGui::GetStyle();
    const float text_width = width - 2 * style.FramePadding.x;
    const ImVec2 text = ImGui::CalcTextSize(label, nullptr, false, text_width);
    const ImVec2 size(width, text.y + 2 * style.FramePadding.y);
    ImGui::PushID(label);
    const bool pressed = ImGui::InvisibleButton("##b", size);
    ImGui::PopID();
    const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
    const ImGuiCol colour = ImGui::IsItemActive() ? ImGuiCol_ButtonActive : ImGui::IsItemHovered() ? ImGuiCol_ButtonHovered : ImGuiCol_Button;
    ImDrawList* draw = ImGui::GetWindowDrawList();
    draw->AddRectFilled(a, b, ImGui::GetColorU32(colour), style.FrameRounding);
    draw->AddText(nullptr, 0.0f, ImVec2(a.x + style.FramePadding.x, a.y + style.FramePadding.y), ImGui::GetColorU32(ImGuiCol_Text), label,
                  nullptr, text_width);
    return pressed;
}
}  // namespace

// The first screen: where to start (the talk, the challenges, a program of
// your own), the playground's example, and the models as a grid of cards,
// each with its shape, one line from the models table and its scenes.
void App::draw_menu_page() {
    const float em = ImGui::GetFontSize();
    ImGui::PushFont(fonts_.title);
    ImGui::TextUnformatted("Such Concurrency");
    ImGui::PopFont();
    ImGui::TextWrapped("A playground for concurrency models. Every scene is a real program running on a "
                       "deterministic scheduler: pause it, step it, step back, change the seed.");
    ImGui::TextDisabled("Start here:");
    // The three ways in and the keys, on one line where they fit (a phone wraps them).
    const auto next_fits = [&](const char* label) {
        const float need = ImGui::CalcTextSize(label).x + ImGui::GetStyle().FramePadding.x * 2 + ImGui::GetStyle().ItemSpacing.x;
        if (ImGui::GetItemRectMax().x + need < ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x) ImGui::SameLine();
    };
    next_fits("Present the talk (P, F5)");
    if (ImGui::Button("Present the talk (P, F5)")) command("talk");
    tooltip("The talk \"Such blocking, very concurrency, wow\" as slides with the scenes live in them; Page Down moves on.");
    next_fits("Challenges: be the scheduler (C)");
    if (ImGui::Button("Challenges: be the scheduler (C)")) command("challenges");
    tooltip("Pick the schedule yourself until the program goes wrong.");
    next_fits("Playground: your own program");
    if (ImGui::Button("Playground: your own program")) command("playground");
    tooltip("Write tasks in Lua, run them step by step and let the explorer try every schedule (#play).");
    next_fits("Keys (?)");
    if (ImGui::Button("Keys (?)")) command("help");
    tooltip("Every key of the app, in one list: ? or F1 opens it anywhere (and the View menu).");
    if (!note_.empty()) {
        ImGui::Spacing();
        ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(palette().bad));
        ImGui::TextWrapped("%s", fitted(note_, 2000).c_str());
        ImGui::PopStyleColor();
    }
    ImGui::Spacing();
    // Side by side on a wide window; below ~900 px one column that scrolls
    // (a phone): the models first, then the playground's example.
    if (narrow_window()) {
        ImGui::BeginChild("scenes");
        draw_model_grid();
        ImGui::BeginChild("try", ImVec2(0, em * 30.0f), true);
        draw_menu_playground();
        ImGui::EndChild();
        ImGui::EndChild();
        return;
    }
    ImGui::BeginChild("try", ImVec2(ImGui::GetContentRegionAvail().x * 0.36f, 0), true);
    draw_menu_playground();
    ImGui::EndChild();
    ImGui::SameLine();
    // On the window's own colour: one full-screen fill fewer for software GL.
    ImGui::BeginChild("scenes", ImVec2(0, 0), false, ImGuiWindowFlags_NoBackground);
    draw_model_grid();
    ImGui::EndChild();
}

void App::draw_model_grid() {
    const float em = ImGui::GetFontSize();
    std::vector<std::vector<const scenes::Scene*>> sections;
    for (const scenes::Scene& s : scenes::catalogue()) {
        if (sections.empty() || sections.back().front()->section != s.section) sections.emplace_back();
        sections.back().push_back(&s);
    }
    const int columns = std::clamp(static_cast<int>(ImGui::GetContentRegionAvail().x / (em * 16.0f)), 1, 3);
    // Cards kept tight, so that the whole grid shows at 1920x1080 and 1280x720.
    ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, ImVec2(em * 0.35f, em * 0.12f));
    ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(em * 0.4f, em * 0.22f));
    if (ImGui::BeginTable("models", columns, ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_SizingStretchSame)) {
        for (const auto& section : sections) {
            ImGui::TableNextColumn();
            const float width = ImGui::GetContentRegionAvail().x;
            const ImVec2 corner = ImGui::GetCursorScreenPos();
            model_glyph(ImGui::GetWindowDrawList(), ImVec2(corner.x, corner.y + em * 0.18f), em, section.front()->row);
            ImGui::Dummy(ImVec2(em * 1.8f, em));
            ImGui::SameLine();
            ImGui::TextWrapped("%s", section.front()->section.c_str());
            ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyle().Colors[ImGuiCol_TextDisabled]);
            ImGui::TextWrapped("%s", section_line(*section.front()).c_str());
            ImGui::PopStyleColor();
            for (const scenes::Scene* s : section) {
                if (wrapped_button(s->title.c_str(), width)) open_scene(*s, {});
                tooltip(("#" + s->id).c_str());
            }
            ImGui::Dummy(ImVec2(0, em * 0.1f));
        }
        ImGui::EndTable();
    }
    ImGui::PopStyleVar(2);
}

void App::draw_transport_buttons(float w, float h) {
    const ImVec2 size(w, h);
    if (ImGui::Button(player_.playing() ? "Pause" : "Play", size)) command("toggle");
    tooltip("Plays the run step by step at the speed beside it (Space). Manual policy: repeats the choices you made.");
    ImGui::SameLine();
    if (ImGui::Button("< Back", size)) command("back");
    tooltip("One step back in time (\xE2\x86\x90): the run is rebuilt from its seed and choices up to the step before.");
    ImGui::SameLine();
    if (ImGui::Button("Step >", size)) command("step");
    step_x_ = item_centre().x;
    step_y_ = item_centre().y;
    tooltip("One step: the scheduler picks a task and it does one thing (\xE2\x86\x92). Manual policy: your next remembered choice.");
    ImGui::SameLine();
    if (ImGui::Button("Restart", size)) command("restart");
    tooltip("Back to step 0 with the same settings (R).");
}

void App::draw_transport() {
    const auto& sched = player_.run()->sched();
    const float em = ImGui::GetFontSize();
    // Side by side on a wide window; on a narrow one each control after the buttons has a line of its own.
    const bool narrow = narrow_window();
    const auto beside = [narrow] {
        if (!narrow) ImGui::SameLine();
    };
    // A phone has them in a bar at the foot of the screen (draw_scene_page), where a step's new lines cannot move them.
    if (!narrow) {
        draw_transport_buttons();
        ImGui::SameLine();
    }
    ImGui::SetNextItemWidth(em * 6);
    float speed = player_.speed();
    if (ImGui::SliderFloat("speed", &speed, 0.5f, 20.0f, "%.1f/s")) player_.set_speed(speed);
    tooltip("Steps per second while playing.");
    beside();
    int seed = static_cast<int>(player_.settings().seed % 1000000);
    ImGui::SetNextItemWidth(em * 5.5f);
    if (ImGui::InputInt("seed", &seed, 1, 10) && seed >= 0) command("seed " + std::to_string(seed));
    tooltip("The preemptive scheduler's random choices come from the seed: the same seed gives the same run, on every machine.");
    beside();
    static const std::vector<std::string> kPolicies = {"cooperative", "preemptive", "manual (you schedule)"};
    static const std::vector<std::string> kPolicyHelp = {
        "A task runs until it yields, waits or ends: a task that never yields starves the others.",
        "The scheduler may switch tasks after any step, chosen at random from the seed (time slices).",
        "You are the scheduler: press a task's number (or its run me button) to pick who takes the next step."};
    int policy = static_cast<int>(player_.settings().policy);
    if (choice_combo("policy", policy, kPolicies, kPolicyHelp)) {
        command(std::string("policy ") + std::string(engine::to_string(static_cast<engine::Policy>(policy))));
    }
    tooltip("Who decides which task takes the next step.");
    // The second line: what the scene is run with.
    int cores = player_.settings().cores;
    if (small_int("cores", cores, 1, scenes::kMaxCores)) command("cores " + std::to_string(cores));
    tooltip("Virtual cores: on 1 the tasks take turns (concurrency); on more, that many step at the same tick (parallelism).");
    for (const scenes::Param& p : player_.scene()->params) {
        beside();
        int v = scenes::param_value(*player_.scene(), player_.settings(), p.id);
        bool changed = false;
        if (!p.choices.empty()) {
            changed = choice_combo(p.label.c_str(), v, p.choices);
        } else if (p.min == 0 && p.max == 1) {
            bool on = v != 0;
            changed = ImGui::Checkbox(p.label.c_str(), &on);
            v = on ? 1 : 0;
        } else if (p.max - p.min <= 16) {
            changed = small_int(p.label.c_str(), v, p.min, p.max);
        } else {
            ImGui::SetNextItemWidth(em * 6);
            changed = ImGui::SliderInt(p.label.c_str(), &v, p.min, p.max);
        }
        tooltip(p.help.c_str());
        if (changed) command("set " + p.id + " " + std::to_string(std::clamp(v, p.min, p.max)));
    }
    // The status and the hint line: beside the parameters when they fit, else on a line of their own.
    char status[96];
    std::snprintf(status, sizeof status, "step %llu, tick %llu, clock %llu ms  |  ", static_cast<unsigned long long>(sched.steps()),
                  static_cast<unsigned long long>(sched.ticks()), static_cast<unsigned long long>(sched.clock()));
    const std::string line = status + hint_line();
    const float room = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x - ImGui::GetItemRectMax().x - em;
    if (narrow) {
        ImGui::TextWrapped("%s", line.c_str());
    } else {
        const bool fits = ImGui::CalcTextSize(line.c_str()).x < room;
        transport_lines_ = fits ? 2 : 3;
        if (fits) ImGui::SameLine(0.0f, em);
        ImGui::TextUnformatted(line.c_str());
    }
    // Stacked, what the last command refused says why here, and the pane grows to it; side by side it
    // floats over the controls' top edge (draw_refusal): it goes with the next command, and the panes
    // keep their sizes (a pane's text never grows back once shrunk for it).
    if (narrow && !last_error_.empty()) {
        ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(palette().bad));
        ImGui::TextWrapped("%s", last_error_.c_str());
        ImGui::PopStyleColor();
    }
}

// Why the last command was refused, in red on a panel of its own standing on the controls' top edge, at its
// right end (the timeline's lanes grow from the left), at most `width` wide.
void App::draw_refusal(float left, float bottom, float width) {
    if (last_error_.empty()) return;
    ImGui::SetNextWindowPos(ImVec2(left + width, bottom), ImGuiCond_Always, ImVec2(1.0f, 1.0f));
    ImGui::SetNextWindowSizeConstraints(ImVec2(0, 0), ImVec2(width, ImGui::GetMainViewport()->Size.y * 0.3f));
    ImGui::PushStyleColor(ImGuiCol_Border, ImGui::ColorConvertU32ToFloat4(palette().bad));
    constexpr ImGuiWindowFlags kFlags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoInputs | ImGuiWindowFlags_AlwaysAutoResize |
                                        ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoFocusOnAppearing | ImGuiWindowFlags_NoNav;
    if (ImGui::Begin("##refusal", nullptr, kFlags)) {
        ImGui::PushTextWrapPos(width - ImGui::GetStyle().WindowPadding.x * 2);
        ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(palette().bad));
        ImGui::TextUnformatted(last_error_.c_str());
        ImGui::PopStyleColor();
        ImGui::PopTextWrapPos();
    }
    ImGui::End();
    ImGui::PopStyleColor();
}

// The real runs' panel: its button's command runs before the results are drawn.
void App::draw_real_panel() {
    const std::string refusal = real_.refusal(*player_.scene(), player_.settings());
    if (RealRunner::draw_button(refusal)) command("real");
    real_.draw_results(refusal, player_.scene()->real_caption);
}

void App::draw_scene_page() {
    const scenes::Outcome out = player_.run()->outcome();
    const auto& sched = player_.run()->sched();
    ViewContext vc = player_.view_context(fonts_, true);
    vc.stacked = narrow_window();
    const bool nothing_runs = is_playground() && play_->syntax_error();

    // A phone: the title wraps and the outcome goes under it.
    const bool narrow = narrow_window();
    ImGui::PushFont(fonts_.title);
    if (narrow) {
        ImGui::TextWrapped("%s", player_.scene()->title.c_str());
    } else {
        ImGui::TextUnformatted(player_.scene()->title.c_str());
        ImGui::SameLine();
    }
    ImGui::PopFont();
    const unsigned colour = out.bad ? palette().bad : out.over ? palette().good : palette().muted;
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(colour));
    ImGui::TextWrapped("%s", fitted(out.headline).c_str());
    ImGui::PopStyleColor();

    if (challenges_.current() >= 0) run_asked(challenges_.draw_banner(player_));
    if (!note_.empty()) {  // wrapped: a refused link's note is a sentence
        ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(palette().accent));
        ImGui::TextWrapped("%s", fitted(note_, 2000).c_str());
        ImGui::PopStyleColor();
    }
    const ImGuiStyle& st = ImGui::GetStyle();
    const float transport_h = ImGui::GetFrameHeightWithSpacing() * static_cast<float>(transport_lines_) + st.WindowPadding.y * 2;
    const float lane = ImGui::GetTextLineHeight() * 0.9f + 4.0f;
    // The lanes and their legend; on a phone, where the ticks soon run wider than the pane, its scrollbar too.
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    // The legend wraps to the timeline's inside: the page's scrollbar beside it on a phone, its own past six lanes.
    const float legend_w = avail.x - (narrow ? st.ScrollbarSize : 0.0f) - st.WindowPadding.x * 2 - (sched.task_count() > 6 ? st.ScrollbarSize : 0.0f);
    const float timeline_h = std::min(static_cast<float>(sched.task_count()), 6.0f) * lane +
                             ImGui::GetTextLineHeightWithSpacing() * static_cast<float>(timeline_legend_lines(legend_w)) + st.WindowPadding.y * 2 + 6.0f +
                             (narrow ? st.ScrollbarSize : 0.0f);
    // Transactions need a wider right pane for their read and write sets.
    const bool stm = has_transactions(*player_.run());
    // A phone: the panes one under the other, each the page's width, in a page that scrolls down.
    // Its scrollbar from the first frame: appearing on the second, it would narrow every pane by its width
    // after they were laid out, and a pane that overflows once keeps a smaller text (fit_pane.hpp).
    // Under it, a bar with Play, Back, Step and Restart that stays at the screen's foot: in the page, below
    // panes that grow a line a step, each tap of Step moved them out from under the finger.
    const float bar_h = kTapPx + st.WindowPadding.y * 2;
    if (std::exchange(page_top_, false) && narrow) ImGui::SetNextWindowScroll(ImVec2(0.0f, 0.0f));
    if (narrow) ImGui::BeginChild("page", ImVec2(0, -bar_h), false, ImGuiWindowFlags_AlwaysVerticalScrollbar);
    // Stacked panes take the height their content took last frame (most of a screen at first, so that
    // nothing is shrunk to fit a pane not yet measured): the page scrolls, not the pane. Only the trace,
    // a log that grows for ever, stops at most of a screen (and scrolls its list).
    static std::map<std::pair<std::size_t, int>, float> stacked_h;
    const std::size_t page = std::hash<std::string>{}(player_.scene()->id);
    const auto stacked = [&](int pane) {
        const auto it = stacked_h.find({page, pane});
        const float most = pane == 2 ? avail.y * 0.85f : std::numeric_limits<float>::max();
        return it == stacked_h.end() ? avail.y * 0.85f : std::clamp(it->second, ImGui::GetFontSize() * 4.0f, most);
    };
    // So a stacked pane's text shrinks only to fit its width. Shrunk to fit a height of most of a screen,
    // a phone held sideways (390 px tall) drew listings at 8 px.
    const bool fits_down = !narrow;
    // Not while the pane is scrolled out of sight: ImGui then skips its items, and the cursor does not move.
    // A line to spare: content that grows by a line (a step's new local) does not overflow the pane for the
    // frame before it grows, which would show a scrollbar there and narrow the text under it.
    const auto measure = [&](int pane) {
        if (narrow && !ImGui::GetCurrentWindowRead()->SkipItems) {
            stacked_h[{page, pane}] = ImGui::GetCursorPosY() + st.WindowPadding.y + ImGui::GetTextLineHeightWithSpacing();
        }
    };
    const float left_w = narrow ? 0.0f : avail.x * (stm ? 0.5f : 0.58f);
    const float body_h = narrow ? stacked(0) : avail.y - transport_h - timeline_h - st.ItemSpacing.y * 2;

    const float smallest = std::max(kPaneFloor, kSmallestPx / ImGui::GetFontSize());
    // Stacked, what is wider than a phone even at the smallest text scrolls sideways rather than being cut.
    const ImGuiWindowFlags stacked_flags = narrow ? ImGuiWindowFlags_HorizontalScrollbar : ImGuiWindowFlags_None;
    ImGui::BeginChild("left", ImVec2(left_w, body_h), true, stacked_flags);
    begin_fitted(page);
    engine::TaskId picked = engine::kNone;
    if (is_playground()) {
        picked = draw_playground(vc);
    } else {
        ImGui::TextWrapped("%s", keep_units(player_.scene()->slide).c_str());
        ImGui::Separator();
        picked = draw_tasks(*player_.run(), vc);
    }
    measure(0);
    end_fitted(smallest, true, fits_down);
    ImGui::EndChild();
    if (picked != engine::kNone) command("pick " + std::to_string(picked));
    if (!narrow) ImGui::SameLine();
    ImGui::BeginGroup();
    // An event loop's ring and lanes want height too.
    bool loop = false;
    for (std::size_t i = 0; i < player_.run()->rt().object_count(); ++i) loop = loop || player_.run()->rt().object(static_cast<engine::ObjectId>(i)).kind() == engine::ObjectKind::Loop;
    // A program's output and explorer share the trace's pane: its objects get less.
    // Objects that still overflow at their smallest text take height from the
    // trace, a little a frame, remembered per scene and display height.
    static std::map<std::pair<std::size_t, int>, float> more_for_objects;
    float& more = more_for_objects[{page, static_cast<int>(body_h)}];
    const float objects_share = (stm ? 0.6f : loop ? 0.68f : is_playground() ? 0.36f : 0.45f) + more;
    // Stacked, the objects take their content's height, and so does the trace, up to most of a screen (a log's end scrolls).
    const float objects_h = narrow ? stacked(1) : body_h * objects_share;
    const float trace_h = narrow ? std::floor(std::min(stacked(2), avail.y * 0.7f)) : body_h - objects_h - st.ItemSpacing.y;
    ImGui::BeginChild("objects", ImVec2(0, objects_h), true, stacked_flags);
    begin_fitted(page);
    // Real-run results go first once there are some, so many objects cannot push them out of sight.
    const bool real_first = real_.has_runs();
    if (real_first && player_.scene()->runs_on_real_threads) {
        draw_real_panel();
        ImGui::Separator();
    }
    draw_state(*player_.run(), vc);
    if (!real_first && player_.scene()->runs_on_real_threads) {
        ImGui::Separator();
        draw_real_panel();
    }
    if (is_playground()) ImGui::TextDisabled("programs run on the simulator and the explorer");
    measure(1);
    const bool below = end_fitted(smallest, true, fits_down).below;
    if (below && !narrow && objects_share < 0.8f) {
        more += 0.02f;  // stacked, the pane takes its content's height instead
        note_unsettled();
    }
    ImGui::EndChild();
    ImGui::BeginChild("trace", ImVec2(0, trace_h), true);
    begin_fitted(page);
    const engine::Finding* replay = nullptr;
    if (is_playground()) draw_program_output();
    if (ImGui::BeginTabBar("right")) {
        const std::string show = std::exchange(show_tab_, {});
        const auto flags_for = [&](const char* tab) { return show == tab ? ImGuiTabItemFlags_SetSelected : 0; };
        // ImGui 1.86 lets a tab take a press only if the frame before hovered it or nothing: a pointer that
        // jumps from a hovered button straight onto a tab (a click in a browser test, a remote's pointer)
        // leaves it unselected. A click that began and ended on a closed tab opens it the next frame.
        const auto missed_click = [&](const char* tab) {
            const ImGuiIO& io = ImGui::GetIO();
            if (ImGui::IsItemHovered() && ImGui::IsMouseReleased(ImGuiMouseButton_Left) &&
                ImGui::GetCurrentContext()->LastItemData.Rect.Contains(io.MouseClickedPos[ImGuiMouseButton_Left])) {
                show_tab_ = tab;
            }
        };
        if (!ImGui::BeginTabItem("Trace", nullptr, flags_for("Trace"))) {
            missed_click("Trace");
        } else {
            // A line wider than the pane scrolls sideways (and its hover shows it whole).
            const float list_top = ImGui::GetCursorPosY();
            ImGui::BeginChild("trace_list", ImVec2(0, 0), false, ImGuiWindowFlags_HorizontalScrollbar);
            // A program that does not compile has no run: its main would only fail at its first step.
            if (nothing_runs) {
                disabled_wrapped("Nothing runs: the program does not compile. Fix the marked line, then Run.");
            } else {
                draw_trace(*player_.run(), vc);
            }
            const float list_h = ImGui::GetCursorPosY() + ImGui::GetStyle().ScrollbarSize;
            const bool list_seen = !ImGui::GetCurrentWindowRead()->SkipItems;
            ImGui::EndChild();
            if (narrow && list_seen) stacked_h[{page, 2}] = list_top + list_h + st.WindowPadding.y;
            ImGui::EndTabItem();
        }
        if (stm && !ImGui::BeginTabItem("Contention", nullptr, flags_for("Contention"))) {
            missed_click("Contention");
        } else if (stm) {
            draw_contention(*player_.run());
            measure(2);
            ImGui::EndTabItem();
        }
        if (!ImGui::BeginTabItem("Explorer", nullptr, flags_for("Explorer"))) {
            missed_click("Explorer");
        } else {
            // While it runs, Cancel takes the button's place (ExplorerPanel::draw), on the line below the tabs.
            if (!explorer_.running()) {
                if (ImGui::Button("Explore")) command("explore");
                tooltip("Runs the scene under every schedule (within the limits): every outcome, deadlock and broken invariant, each with a schedule to replay.");
                ImGui::SameLine();
            }
            replay = explorer_.draw(fonts_, !narrow);
            measure(2);
            ImGui::EndTabItem();
        }
        ImGui::EndTabBar();
    }
    end_fitted(smallest, true, fits_down);
    ImGui::EndChild();
    if (replay) replay_finding(*replay);
    ImGui::EndGroup();

    ImGui::BeginChild("timeline", ImVec2(0, timeline_h), true, ImGuiWindowFlags_HorizontalScrollbar);
    begin_fitted(page);
    draw_timeline_legend(legend_w);
    const std::int64_t tick = nothing_runs ? -1 : draw_timeline(*player_.run(), vc);
    end_fitted(smallest, false);
    ImGui::EndChild();
    if (tick >= 0) {
        // Scrub: go to the end of the clicked tick.
        std::uint64_t steps = 0;
        for (const engine::Event& e : sched.trace().events()) {
            if (e.time <= static_cast<std::uint64_t>(tick) && e.kind != engine::EventKind::Spawn) steps = std::max(steps, e.step + 1);
        }
        command("seek " + std::to_string(steps));
    }

    // Stacked: a line for the buttons, speed, seed, policy, cores and each parameter, and the status,
    // as tall as that took last frame (with measure's line to spare, for a status that wraps to two).
    ImGui::BeginChild("transport", ImVec2(0, narrow ? stacked(3) : 0.0f), true);
    begin_fitted(page);
    draw_transport();
    measure(3);
    end_fitted(smallest, true, fits_down);
    ImGui::EndChild();
    if (!narrow) draw_refusal(ImGui::GetItemRectMin().x, ImGui::GetItemRectMin().y, ImGui::GetItemRectSize().x);
    if (narrow) {
        ImGui::EndChild();
        ImGui::BeginChild("buttons", ImVec2(0, 0), true, ImGuiWindowFlags_NoScrollbar);
        // Four buttons across the screen, each a finger's target.
        const float spacing = ImGui::GetStyle().ItemSpacing.x;
        draw_transport_buttons(std::floor((ImGui::GetContentRegionAvail().x - spacing * 3) / 4), kTapPx);
        ImGui::EndChild();
    }
}

}  // namespace such::ui
