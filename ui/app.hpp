// The app frame: everything the user sees, platform-independent. The native
// and web shells call frame() once per display frame and forward commands.
#pragma once
#include <array>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "scenes/challenges.hpp"
#include "scenes/deck.hpp"
#include "scenes/scene.hpp"
#include "ui/theme.hpp"
#include "ui/explorer_panel.hpp"
#include "ui/real_runner.hpp"
#include "ui/scene_player.hpp"
#include "ui/views.hpp"

namespace such::ui {

// Text as a JSON string literal, for the state the tests read.
std::string json_string(std::string_view text);

class CompareSlide;
class Playground;

class App {
public:
    App();
    ~App();

    // Builds one ImGui frame; dt is the time since the last one, in seconds.
    void frame(float dt);

    // Opens "#race?seed=7"-style links ("" is the menu); a bad one changes
    // nothing, returns false and says why (last_error, and a note on the page).
    bool open_link(std::string_view hash);
    void open_scene(const scenes::Scene& scene, const scenes::Settings& settings);
    void show_menu(std::string note = {});

    // Text commands shared by keyboard, JS test API and CLI:
    // play, pause, toggle, step, back, restart, menu, theme, zoom+, zoom-,
    // fullscreen, seed N, policy P, cores N, pick T (manual: step task T),
    // task N (manual: the task numbered N on screen, a digit key), help (the
    // keys overlay; menu closes it first), hint (a challenge's), seek N (go to step N), set PARAM V, real (run on real threads),
    // open LINK. The playground's (ui/playground.cpp): playground (open it),
    // program BASE64URL (that text in the editor), example ID, paste TEXT (at
    // the open editor's cursor), run-program (from the start: one step, then play),
    // edit (back to the editor, at step 0), revert (the text the last load
    // replaced), load PATH, save PATH (.lua files), copy-link.
    // Returns false (and sets last_error) for bad commands.
    bool command(std::string_view text);
    const std::string& last_error() const { return last_error_; }

    // The app's state as JSON for tests: scene, seed, step, verdict, objects.
    std::string state_json() const;

    // Talk mode (ui/talk.cpp): the deck on stage, slide by slide.
    bool in_talk() const { return talk_; }
    std::size_t slide() const { return slide_; }
    // A live slide is told in beats: its run (playing by itself at a talk
    // pace), its outcome, then every schedule; the comparison slide in its run
    // and its outcome. Next and previous move a beat, then a slide.
    std::size_t beat() const { return beat_; }
    std::size_t beat_count() const;
    // A scene (or the comparison slide) is open: P plays and pauses it.
    bool scene_open() const { return player_.run() != nullptr || compare_ != nullptr; }
    bool on_live_slide() const { return talk_ && player_.run() != nullptr; }
    // The speaker's view: current and next slide, notes, clock. Drawn into
    // whatever ImGui context is current (the notes window natively).
    // Returns its first line, "12 / 44  Title", as drawn.
    std::string draw_speaker_view(const Fonts& fonts) const;
    bool take_notes_window_request() { return std::exchange(notes_window_request_, false); }
    void set_notes_window_open(bool open) { notes_window_open_ = open; }
    // Challenge progress, as scenes::Progress::save() writes it. The shell
    // keeps it in a file natively and in local storage in the browser.
    bool load_progress(std::string_view text, std::string& error);
    std::string progress_text() const { return progress_.save(); }
    bool take_progress_dirty() { return std::exchange(progress_dirty_, false); }
    // The playground (ui/playground.cpp): a Lua program in an editor, run as a
    // scene. open_program puts the text in the editor and opens the page.
    void open_program(std::string text, const scenes::Settings& settings = {});
    // The last program, kept by the shell like the progress (a file natively,
    // local storage in the browser); restore_program takes it back at start.
    void restore_program(std::string_view text);
    const std::string& program_text() const;
    bool take_program_dirty();
    void set_program_files(bool available);  // the desktop opens and saves .lua files
    // Traces (ui/trace_open.cpp): opens a trace file's text as the run it
    // recorded, at its last step, with time travel; `from` names it in messages.
    // On a bad file: false, last_error says where, and nothing changes.
    bool open_trace(std::string_view text, const std::string& from);
    // The browser's shell opens its file picker when the menu asks for one.
    bool take_trace_file_request() { return std::exchange(trace_file_request_, false); }
    // What goes before the hash in a copied link (the page's address in the browser).
    void set_link_base(std::string base) { link_base_ = std::move(base); }

    // Platform hooks. The shell reads these after each frame.
    Theme theme() const { return theme_; }
    // Pages are laid out for a 1920x1080 display: a smaller one shows the same
    // page, smaller. Talk mode draws larger: body text of 28 px and more at
    // the default zoom on 1920x1080.
    float zoom() const { return zoom_ * display_fit_ * (talk_ ? kStageScale : 1.0f); }
    static constexpr float kStageScale = 1.3f;
    static constexpr float kLayoutWidth = 1920.0f, kLayoutHeight = 1080.0f;
    // A live slide's "every schedule" beat stops searching after this long:
    // the audience waits for it (a bounded search says so).
    static constexpr int kTalkExploreSeconds = 10;
    // The display is width x height (ImGui's pixels): sets the text's fit to
    // it (frame() does, every frame; the shell before the first fonts, so
    // that they are built once at the start, not again after the first frame).
    void fit_display(float width, float height);
    bool take_fonts_dirty();
    // The last frame ran commands from the page that changed what it shows:
    // the shell builds the next frame at once instead of presenting this one.
    bool take_redraw() { return std::exchange(redraw_, false); }
    bool take_fullscreen_request();
    void set_fonts(const Fonts& fonts) { fonts_ = fonts; }
    void set_status_note(std::string note) { note_ = std::move(note); }
    // The single-threaded web build has no threads for the real runtime.
    // Most native threads a real run may start (0: no limit): the browser's worker pool.
    void set_thread_limit(int limit) { real_.set_thread_limit(limit); }
    void set_threads_available(bool available) {
        real_.set_threads_available(available);
        explorer_.set_threads_available(available);
    }
    const std::string& link() const { return link_; }
    // True while an exploration or a real run is going (scripts wait on it).
    bool busy() const;
    // True while something on screen moves by itself: a run playing, or busy().
    bool moving() const { return player_.playing() || busy(); }

private:
    // Opens a scene as part of the talk or a challenge (open_scene leaves both).
    void load_scene(const scenes::Scene& scene, const scenes::Settings& settings);
    void leave_modes();
    // Drops the open scene, its explorer and its real run (a slide without a scene, the menu).
    void clear_scene();
    // Talk mode (ui/talk.cpp, ui/talk_draw.cpp).
    std::optional<bool> talk_command(std::string_view verb, std::string_view arg);
    bool go_to_slide(std::size_t index, bool at_end = false);
    void enter_beat();
    void run_to_end();
    bool vary(std::string_view what);
    bool escape();
    // Challenges (ui/challenge.cpp).
    std::optional<bool> challenge_command(std::string_view verb, std::string_view arg);
    std::string challenge_json() const;
    bool open_challenge(std::size_t index);
    bool show_solution();
    void check_challenge();
    bool challenge_counts() const;  // the run so far is the player's own schedule
    void draw_talk();
    void draw_text_slide(const scenes::Slide& slide);
    void draw_title_slide(const scenes::Slide& slide);
    void draw_models_slide();
    void draw_live_slide();
    void draw_compare_slide(const scenes::Slide& slide);
    void draw_slide_footer(const std::string& hint, const std::string& keys = {});
    std::string live_keys() const;
    void draw_schedules_line();
    void draw_notes_overlay();
    void draw_challenges_page();
    void draw_challenge_banner();
    std::string talk_json() const;

    // The playground (ui/playground.cpp, ui/playground_draw.cpp).
    bool is_playground() const;
    void open_playground(const scenes::Settings& settings);
    void program_changed();
    bool open_play_link(std::string_view hash);
    bool refuse_link(std::string_view hash, const std::string& why);
    std::optional<bool> playground_command(std::string_view verb, std::string_view arg);
    std::optional<bool> trace_command(std::string_view verb, std::string_view arg);
    void draw_trace_popup();
    void draw_trace_menu_items();
    void run_playground_requests();
    engine::TaskId draw_playground(const ViewContext& vc);
    void draw_program_output();
    void draw_menu_playground();
    std::string playground_json() const;

    void draw_menu_bar();
    void draw_menu_page();
    void draw_model_grid();
    void draw_scene_page();
    void draw_transport();
    void draw_real_panel();
    // The player's moves, with the address following them (refresh_link).
    void rebuild(std::uint64_t steps);
    void step_forward();
    void step_back();
    bool pick(engine::TaskId task, bool by_user = true);
    void replay_finding(const engine::Finding& finding);
    void refresh_link();
    bool start_real_run();
    void settings_changed();
    void change_settings(const scenes::Settings& settings);

    ScenePlayer player_;
    ExplorerPanel explorer_;
    std::string show_tab_;  // bring this tab of the right pane to the front once
    Fonts fonts_;
    Theme theme_ = Theme::Dark;
    float zoom_ = 1.0f;
    float display_fit_ = 1.0f;  // the display against kLayoutWidth x kLayoutHeight, at most 1
    bool fonts_dirty_ = false;
    bool fullscreen_request_ = false;
    std::string note_;
    std::string last_error_;
    std::string link_;

    std::unique_ptr<CompareSlide> compare_;  // the open comparison slide, if any
    bool talk_ = false;
    std::size_t slide_ = 0;
    std::size_t beat_ = 0;
    float talk_speed_ = 2.0f;      // steps per second of a live slide's run
    bool close_popup_ = false;     // Esc: close the innermost ImGui popup in the next frame
    std::string jump_;             // slide number typed so far (then Enter)
    bool notes_overlay_ = false;
    bool notes_window_request_ = false;
    bool notes_window_open_ = false;
    std::chrono::steady_clock::time_point talk_started_{};
    bool challenges_page_ = false;
    int challenge_ = -1;           // the challenge being played, or -1
    bool challenge_won_ = false;
    bool solution_shown_ = false;  // a shown solution does not count as a win
    bool hint_shown_ = false;      // the hint is shown once asked for
    std::string challenge_link_;   // the challenge's settings: a run with others does not count
    scenes::Progress progress_;
    bool progress_dirty_ = false;
    std::unique_ptr<Playground> play_;
    enum class TracePopup { None, Open, Save };
    TracePopup trace_popup_ = TracePopup::None;       // asked for this frame
    TracePopup trace_popup_open_ = TracePopup::None;  // the one showing
    std::array<char, 1024> trace_path_{"run.trace.jsonl"};
    bool trace_file_request_ = false;
    std::string link_base_;
    bool redraw_ = false;
    int transport_lines_ = 2;              // 3 when the hint line did not fit beside the parameters
    bool help_open_ = false;               // the keys overlay (?, F1, H)
    std::vector<std::string> help_drawn_;  // the keys it drew last frame
    RealRunner real_;  // last: its threads are joined before the rest goes
};

}  // namespace such::ui
