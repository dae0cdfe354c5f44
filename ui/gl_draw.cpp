// ImGui's draw lists as OpenGL calls: one shader, one vertex array with its
// two buffers, and the font atlas's texture. See gl_draw.hpp for why the
// frame sets its states and reads none back.
#include "ui/gl_draw.hpp"

#ifdef SUCH_GLES3  // the web build (CMakeLists.txt): WebGL2 is OpenGL ES 3.0
#include <GLES3/gl3.h>
#else
#define GL_GLEXT_PROTOTYPES 1
#include <GL/gl.h>
#include <GL/glext.h>
#endif

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "imgui.h"

namespace such::ui {
namespace {

constexpr const char* kVertexShader = R"(
uniform mat4 projection;
in vec2 pos;
in vec2 uv;
in vec4 color;
out vec2 frag_uv;
out vec4 frag_color;
void main() {
    frag_uv = uv;
    frag_color = color;
    gl_Position = projection * vec4(pos, 0.0, 1.0);
}
)";

constexpr const char* kFragmentShader = R"(
uniform sampler2D atlas;
in vec2 frag_uv;
in vec4 frag_color;
out vec4 out_color;
void main() {
    out_color = vec4(frag_color.rgb, frag_color.a * texture(atlas, frag_uv).r);
}
)";

// The shader's log, or "" when it compiled (linked).
std::string gl_log(GLuint object, bool program) {
    GLint ok = 0, length = 0;
    if (program) {
        glGetProgramiv(object, GL_LINK_STATUS, &ok);
        glGetProgramiv(object, GL_INFO_LOG_LENGTH, &length);
    } else {
        glGetShaderiv(object, GL_COMPILE_STATUS, &ok);
        glGetShaderiv(object, GL_INFO_LOG_LENGTH, &length);
    }
    if (ok) return {};
    std::vector<char> log(static_cast<std::size_t>(std::max(length, 1)) + 1, '\0');
    if (program) {
        glGetProgramInfoLog(object, length, nullptr, log.data());
    } else {
        glGetShaderInfoLog(object, length, nullptr, log.data());
    }
    return log[0] ? std::string(log.data()) : std::string("no log");
}

GLuint compile(GLenum kind, const char* header, const char* body, std::string& error) {
    const GLuint shader = glCreateShader(kind);
    const std::array<const char*, 2> parts{header, body};
    glShaderSource(shader, 2, parts.data(), nullptr);
    glCompileShader(shader);
    error = gl_log(shader, false);
    return shader;
}

void* byte_offset(std::size_t bytes) { return reinterpret_cast<void*>(static_cast<std::uintptr_t>(bytes)); }

}  // namespace

bool GlDraw::init(bool gles, std::string& error) {
    const char* vertex_header = gles ? "#version 300 es\n" : "#version 150\n";
    const char* fragment_header = gles ? "#version 300 es\nprecision mediump float;\n" : "#version 150\n";
    std::string vertex_error, fragment_error;
    const GLuint vertex = compile(GL_VERTEX_SHADER, vertex_header, kVertexShader, vertex_error);
    const GLuint fragment = compile(GL_FRAGMENT_SHADER, fragment_header, kFragmentShader, fragment_error);
    program_ = glCreateProgram();
    glAttachShader(program_, vertex);
    glAttachShader(program_, fragment);
    pos_ = 0;
    uv_ = 1;
    color_ = 2;
    glBindAttribLocation(program_, pos_, "pos");
    glBindAttribLocation(program_, uv_, "uv");
    glBindAttribLocation(program_, color_, "color");
    glLinkProgram(program_);
    const std::string link_error = gl_log(program_, true);
    glDetachShader(program_, vertex);
    glDetachShader(program_, fragment);
    glDeleteShader(vertex);
    glDeleteShader(fragment);
    if (!vertex_error.empty() || !fragment_error.empty() || !link_error.empty()) {
        error = "the drawing shader did not build: " + vertex_error + fragment_error + link_error;
        shutdown();
        return false;
    }
    projection_ = glGetUniformLocation(program_, "projection");
    texture_ = glGetUniformLocation(program_, "atlas");

    glGenVertexArrays(1, &vertex_array_);
    glGenBuffers(1, &vertices_);
    glGenBuffers(1, &indices_);
    glBindVertexArray(vertex_array_);
    glBindBuffer(GL_ARRAY_BUFFER, vertices_);
    glBindBuffer(GL_ELEMENT_ARRAY_BUFFER, indices_);  // kept by the vertex array
    glEnableVertexAttribArray(pos_);
    glEnableVertexAttribArray(uv_);
    glEnableVertexAttribArray(color_);
    glBindVertexArray(0);

    ImGuiIO& io = ImGui::GetIO();
    io.BackendRendererName = "such::ui::GlDraw";
    // Large meshes (a long trace) go past 65,536 vertices: each command then
    // names where its vertices start, and render() points the attributes there.
    io.BackendFlags |= ImGuiBackendFlags_RendererHasVtxOffset;
    return true;
}

void GlDraw::upload_fonts(ImFontAtlas& atlas) {
    // One byte a pixel, the glyphs' coverage: the atlas is all white (the
    // shader takes its alpha from the red channel), a quarter of RGBA's upload.
    unsigned char* pixels = nullptr;
    int width = 0, height = 0;
    atlas.GetTexDataAsAlpha8(&pixels, &width, &height);
    if (font_texture_ == 0) glGenTextures(1, &font_texture_);
    glBindTexture(GL_TEXTURE_2D, font_texture_);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_R8, width, height, 0, GL_RED, GL_UNSIGNED_BYTE, pixels);
    atlas.SetTexID(reinterpret_cast<ImTextureID>(static_cast<std::uintptr_t>(font_texture_)));
    // The pixels live on in the texture; the atlas keeps only what lays out text.
    atlas.ClearTexData();
}

void GlDraw::render(const ImDrawData& data, int fb_width, int fb_height) {
    if (fb_width <= 0 || fb_height <= 0 || data.CmdListsCount == 0) return;
    glViewport(0, 0, fb_width, fb_height);
    glEnable(GL_BLEND);
    glBlendEquation(GL_FUNC_ADD);
    glBlendFuncSeparate(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA, GL_ONE, GL_ONE_MINUS_SRC_ALPHA);
    glDisable(GL_CULL_FACE);
    glDisable(GL_DEPTH_TEST);
    glEnable(GL_SCISSOR_TEST);

    // ImGui's coordinates (pixels from the top left of DisplayPos) to clip space.
    const float l = data.DisplayPos.x, r = data.DisplayPos.x + data.DisplaySize.x;
    const float t = data.DisplayPos.y, b = data.DisplayPos.y + data.DisplaySize.y;
    const std::array<float, 16> projection{
        2.0f / (r - l), 0.0f, 0.0f, 0.0f,  //
        0.0f, 2.0f / (t - b), 0.0f, 0.0f,  //
        0.0f, 0.0f, -1.0f, 0.0f,           //
        (r + l) / (l - r), (t + b) / (b - t), 0.0f, 1.0f,
    };
    glUseProgram(program_);
    glUniform1i(texture_, 0);
    glUniformMatrix4fv(projection_, 1, GL_FALSE, projection.data());
    glActiveTexture(GL_TEXTURE0);
    glBindVertexArray(vertex_array_);
    glBindBuffer(GL_ARRAY_BUFFER, vertices_);

    const ImVec2 clip_origin = data.DisplayPos, clip_scale = data.FramebufferScale;
    const GLenum index_type = sizeof(ImDrawIdx) == 2 ? GL_UNSIGNED_SHORT : GL_UNSIGNED_INT;
    ImTextureID bound_texture = nullptr;
    for (int n = 0; n < data.CmdListsCount; ++n) {
        const ImDrawList& list = *data.CmdLists[n];
        glBufferData(GL_ARRAY_BUFFER, static_cast<GLsizeiptr>(list.VtxBuffer.Size) * static_cast<GLsizeiptr>(sizeof(ImDrawVert)),
                     list.VtxBuffer.Data, GL_STREAM_DRAW);
        glBufferData(GL_ELEMENT_ARRAY_BUFFER, static_cast<GLsizeiptr>(list.IdxBuffer.Size) * static_cast<GLsizeiptr>(sizeof(ImDrawIdx)),
                     list.IdxBuffer.Data, GL_STREAM_DRAW);
        unsigned int pointed_at = ~0u;  // the vertex the attributes start at, none yet for this list
        for (const ImDrawCmd& cmd : list.CmdBuffer) {
            if (cmd.UserCallback) {
                // The app adds no callbacks of its own; ImGui's reset needs nothing, as every state is set above.
                if (cmd.UserCallback != ImDrawCallback_ResetRenderState) cmd.UserCallback(&list, &cmd);
                continue;
            }
            const float x1 = (cmd.ClipRect.x - clip_origin.x) * clip_scale.x;
            const float y1 = (cmd.ClipRect.y - clip_origin.y) * clip_scale.y;
            const float x2 = (cmd.ClipRect.z - clip_origin.x) * clip_scale.x;
            const float y2 = (cmd.ClipRect.w - clip_origin.y) * clip_scale.y;
            if (x2 <= x1 || y2 <= y1 || cmd.ElemCount == 0) continue;
            // GL's scissor box counts rows from the bottom.
            glScissor(static_cast<GLint>(x1), static_cast<GLint>(static_cast<float>(fb_height) - y2), static_cast<GLsizei>(x2 - x1),
                      static_cast<GLsizei>(y2 - y1));
            if (cmd.GetTexID() != bound_texture) {
                bound_texture = cmd.GetTexID();
                glBindTexture(GL_TEXTURE_2D, static_cast<GLuint>(reinterpret_cast<std::uintptr_t>(bound_texture)));
            }
            if (cmd.VtxOffset != pointed_at) {
                pointed_at = cmd.VtxOffset;
                const std::size_t base = static_cast<std::size_t>(pointed_at) * sizeof(ImDrawVert);
                constexpr auto stride = static_cast<GLsizei>(sizeof(ImDrawVert));
                glVertexAttribPointer(pos_, 2, GL_FLOAT, GL_FALSE, stride, byte_offset(base + offsetof(ImDrawVert, pos)));
                glVertexAttribPointer(uv_, 2, GL_FLOAT, GL_FALSE, stride, byte_offset(base + offsetof(ImDrawVert, uv)));
                glVertexAttribPointer(color_, 4, GL_UNSIGNED_BYTE, GL_TRUE, stride, byte_offset(base + offsetof(ImDrawVert, col)));
            }
            glDrawElements(GL_TRIANGLES, static_cast<GLsizei>(cmd.ElemCount), index_type,
                           byte_offset(cmd.IdxOffset * sizeof(ImDrawIdx)));
        }
    }
    glBindVertexArray(0);
    // The next frame's clear and a screenshot's read cover the whole window.
    glDisable(GL_SCISSOR_TEST);
}

void GlDraw::shutdown() {
    if (font_texture_) glDeleteTextures(1, &font_texture_);
    if (vertices_) glDeleteBuffers(1, &vertices_);
    if (indices_) glDeleteBuffers(1, &indices_);
    if (vertex_array_) glDeleteVertexArrays(1, &vertex_array_);
    if (program_) glDeleteProgram(program_);
    font_texture_ = vertices_ = indices_ = vertex_array_ = program_ = 0;
    if (ImGui::GetCurrentContext()) ImGui::GetIO().Fonts->SetTexID(nullptr);
}

}  // namespace such::ui
