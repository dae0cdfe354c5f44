// Generic views of the engine's state: tasks with their code and locals,
// objects by kind (variable, mutex), and the trace. They read, never change.
#pragma once
#include "scenes/scene.hpp"
#include "ui/theme.hpp"

namespace such::ui {

struct ViewContext {
    const Fonts& fonts;
    float since_step;  // seconds since the last step, for fading highlights
};

void draw_tasks(const scenes::Run& run, const ViewContext& vc);
void draw_objects(const scenes::Run& run, const ViewContext& vc);
void draw_trace(const scenes::Run& run, const ViewContext& vc);

}  // namespace such::ui
