// Draws ImGui's frames with OpenGL 3.2 on the desktop and WebGL2 in the
// browser. The app owns its GL context and nothing else draws in it, so each
// frame sets the few states it needs and never reads any back: in WebGL every
// read of GL state (glGetIntegerv, glIsEnabled) waits for the GPU process, and
// ImGui's own OpenGL backend reads two dozen of them per frame to restore them.
#pragma once
#include <string>

struct ImDrawData;
struct ImFontAtlas;

namespace such::ui {

class GlDraw {
public:
    GlDraw() = default;
    GlDraw(const GlDraw&) = delete;
    GlDraw& operator=(const GlDraw&) = delete;
    ~GlDraw() = default;  // shutdown() frees the GL objects while the context is current

    // Compiles the shader and makes the buffers, in the current GL context;
    // gles: WebGL2's shading language. Tells ImGui's current context that
    // this renderer draws it. False with a message when the GL refuses.
    bool init(bool gles, std::string& error);
    // Uploads the atlas's pixels as its texture (again after the fonts change).
    void upload_fonts(ImFontAtlas& atlas);
    // Draws a frame into the bound framebuffer of fb_width x fb_height pixels.
    void render(const ImDrawData& data, int fb_width, int fb_height);
    void shutdown();

private:
    unsigned program_ = 0, vertex_array_ = 0, vertices_ = 0, indices_ = 0, font_texture_ = 0;
    int projection_ = -1, texture_ = -1;
    unsigned pos_ = 0, uv_ = 0, color_ = 0;  // attribute locations
};

}  // namespace such::ui
