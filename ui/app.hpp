// The app frame: everything the user sees, platform-independent. The native
// and web shells call frame() once per display frame and forward commands.
// App coordinates its parts, each a class with its own state: the scene
// player, the real runs, the talk, the challenges and the playground.
#pragma once
#include <array>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "scenes/challenges.hpp"
#include "scenes/deck.hpp"
#include "scenes/scene.hpp"
#include "ui/challenge.hpp"
#include "ui/explorer_panel.hpp"
#include "ui/real_runner.hpp"
#include "ui/scene_player.hpp"
#include "ui/talk.hpp"
#include "ui/theme.hpp"
#include "ui/views.hpp"

namespace such::ui {

// Text as a JSON string literal, for the state the tests read.
std::string json_string(std::string_view text);

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
    bool in_talk() const { return talk_.on(); }
    std::size_t slide() const { return talk_.slide(); }
    // A live slide is told in beats: its run (playing by itself at a talk
    // pace), its outcome, then every schedule; the comparison slide in its run
    // and its outcome. Next and previous move a beat, then a slide.
    std::size_t beat() const { return talk_.beat(); }
    std::size_t beat_count() const { return talk_.beat_count(); }
    // A scene (or the comparison slide) is open: P plays and pauses it.
    bool scene_open() const { return player_.run() != nullptr || talk_.compare() != nullptr; }
    bool on_live_slide() const { return talk_.on() && player_.run() != nullptr; }
    // The speaker's view: current and next slide, notes, clock. Drawn into
    // whatever ImGui context is current (the notes window natively).
    // Returns its first line, "12 / 44  Title", as drawn.
    std::string draw_speaker_view(const Fonts& fonts) const { return talk_.draw_speaker_view(fonts); }
    bool take_notes_window_request() { return talk_.take_notes_window_request(); }
    void set_notes_window_open(bool open) { talk_.set_notes_window_open(open); }
    // Challenge progress, as scenes::Progress::save() writes it. The shell
    // keeps it in a file natively and in local storage in the browser.
    bool load_progress(std::string_view text, std::string& error) { return challenges_.load_progress(text, error); }
    std::string progress_text() const { return challenges_.progress_text(); }
    bool take_progress_dirty() { return challenges_.take_progress_dirty(); }
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
    float zoom() const { return zoom_ * display_fit_ * (talk_.on() ? kStageScale : 1.0f); }
    static constexpr float kStageScale = 1.3f;
    static constexpr float kLayoutWidth = 1920.0f, kLayoutHeight = 1080.0f;
    // Below this width (a phone) the menu and a scene's panes stack into one column that scrolls.
    static constexpr float kNarrowPx = 900.0f;
    // There the text is at least this of full size (15 px of 22): the column scrolls, the text need not shrink.
    static constexpr float kStackedFit = 0.7f;
    static bool narrow_window();
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
    // True while something on screen moves by itself: a run playing, busy(), or panes still fitting their text.
    bool moving() const;

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
    bool open_challenge(std::size_t index);
    // A command a page's drawing asked for (a click), if any.
    void run_asked(const std::string& asked);

    // The playground (ui/playground.cpp, ui/playground_draw.cpp).
    bool is_playground() const;
    // The playground's program does not compile: what says so when asked
    // to run it (empty: it compiles, or this is not the playground).
    std::string uncompiled() const;
    // The player's hint line, or what stops the program from running.
    std::string hint_line() const;
    void open_playground(const scenes::Settings& settings);
    void program_changed();
    bool open_play_link(std::string_view hash);
    void go_to_position(const std::vector<engine::TaskId>& picks, std::uint64_t step);
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
    // Play, Back, Step, Restart: on a phone, a bar at the screen's foot, each button w x h (0: as its label).
    void draw_transport_buttons(float w = 0.0f, float h = 0.0f);
    // A finger's target there: 48 px tall, the least Android's Material guidelines and Lighthouse's
    // tap-target audit ask for (9 mm on a phone).
    static constexpr float kTapPx = 48.0f;
    void draw_refusal(float left, float bottom, float width);
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
    bool stacked_ = false;      // the last display was narrower than kNarrowPx (a phone's column)
    bool fonts_dirty_ = false;
    bool page_top_ = false;  // a page opened (a link, a program): a phone's scrolled page starts again at its top
    float step_x_ = -1.0f, step_y_ = -1.0f;  // where Step was drawn last (the browser's phone test taps there)
    bool fullscreen_request_ = false;
    std::string note_;
    std::string last_error_;
    std::string link_;

    Talk talk_;
    Challenges challenges_;
    bool close_popup_ = false;  // Esc: close the innermost ImGui popup in the next frame
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
