// Panes that show everything they hold: a pane's text shrinks by as much as
// its content overflowed, so no state it exists to show is below the fold.
#pragma once
#include <cstddef>

namespace such::ui {

// Right after BeginChild: the pane's text at its remembered scale. The scale
// is kept per pane, page (a slide or a scene), font size and display size.
void begin_fitted(std::size_t page);
// Between begin_fitted and end_fitted: the text scale the pane is drawn at (1: full size).
float fitted_scale();
// Right before EndChild: when the pane's content reached past what it shows
// two frames in a row (one is a layout catching up with what grew), its text
// is drawn smaller from the next frame on, by the overflow's ratio,
// never below `floor` of its size (then the pane scrolls). Text that wraps
// takes fewer lines smaller, so the measure after a shrink may grow it back
// into the room left, but never to a size that overflowed on this page, so
// text does not pulse as a run goes on.
// A pane that scrolls sideways (a timeline's ticks) fits its height alone;
// one that will take its content's height next frame (stacked on a phone)
// fits its width alone (down = false).
// Says what the pane still hides at its floor: the caller may give it room.
struct Hidden {
    bool below = false, across = false;
};
Hidden end_fitted(float floor, bool across = true, bool down = true);
// A run that starts again (a restart, new settings, a slide's beat): from the
// next time each pane is measured its text may grow back, over a few frames,
// to what its content then needs. A scene that deadlocked shrank its objects
// for the queues; back at step 0 they are gone, and the text comes back.
void let_fits_grow();
// True while a pane's text size moved in the last frame or is about to (a
// shrink waiting for its second frame, a grow to try): the shell keeps
// drawing frames until the panes settle, even when nothing else moves (a
// shared link opened and left alone showed its panes half fitted).
bool fits_settling();
// Something else a layout adjusts frame by frame moved (the objects pane
// taking height from the trace): as a pane's size moving, for fits_settling.
void note_unsettled();

}  // namespace such::ui
