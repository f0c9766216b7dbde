-- Drives paperls from headless Neovim (0.7+): diagnostics, hover, definition, completion.
-- Reads PAPERLS_CMD (JSON list), PAPERLS_ROOT, PAPERLS_FILE from the environment and writes one
-- JSON object of what the editor got to PAPERLS_OUT.
local cmd = vim.fn.json_decode(os.getenv("PAPERLS_CMD"))
local root = os.getenv("PAPERLS_ROOT")
local file = os.getenv("PAPERLS_FILE")
local out = {}

local function finish(ok)
  local f = io.open(os.getenv("PAPERLS_OUT"), "w")
  f:write(vim.fn.json_encode(out))
  f:close()
  if ok then vim.cmd("qall!") else vim.cmd("cquit! 1") end
end

local bufnr
if os.getenv("PAPERLS_NVIM_API") == "config" then
  -- Neovim 0.11+: the README's set-up, a config enabled for a filetype.
  vim.cmd("filetype on")
  vim.lsp.config("paperls", { cmd = cmd, filetypes = { "text" },
                              root_markers = { "paperls.toml", ".git" } })
  vim.lsp.enable("paperls")
  vim.cmd("edit " .. vim.fn.fnameescape(file))
  bufnr = vim.api.nvim_get_current_buf()
  if not vim.wait(20000, function() return #vim.lsp.get_clients({ bufnr = bufnr }) > 0 end, 50) then
    out.error = "vim.lsp.enable did not attach"; finish(false)
  end
  out.version = tostring(vim.version())
else
  -- Neovim 0.7+: start a client and attach it.
  vim.cmd("edit " .. vim.fn.fnameescape(file))
  bufnr = vim.api.nvim_get_current_buf()
  local client_id = vim.lsp.start_client({ name = "paperls", cmd = cmd, root_dir = root })
  if not client_id then out.error = "start_client failed"; finish(false) end
  vim.lsp.buf_attach_client(bufnr, client_id)
end

local got = vim.wait(30000, function() return #vim.diagnostic.get(bufnr) >= 3 end, 50)
out.diagnostics = {}
for _, d in ipairs(vim.diagnostic.get(bufnr)) do
  table.insert(out.diagnostics, { line = d.lnum, message = d.message, severity = d.severity,
                                  code = d.user_data and d.user_data.lsp and d.user_data.lsp.code })
end
if not got then out.error = "no diagnostics"; finish(false) end

local function request(method, line, character, extra)
  local params = { textDocument = { uri = vim.uri_from_bufnr(bufnr) },
                   position = { line = line, character = character } }
  for k, v in pairs(extra or {}) do params[k] = v end
  local res = vim.lsp.buf_request_sync(bufnr, method, params, 10000)
  if not res then return nil end
  for _, r in pairs(res) do if r.result then return r.result end end
  return nil
end

local hover = request("textDocument/hover", 1, 10)
out.hover = hover and hover.contents and hover.contents.value or ""
local def = request("textDocument/definition", 7, 10)
out.definition = {}
for _, loc in ipairs(def or {}) do
  table.insert(out.definition, { uri = loc.uri, line = loc.range.start.line })
end
-- Type a new line and ask for completion at its end.
local last = vim.api.nvim_buf_line_count(bufnr)
vim.api.nvim_buf_set_lines(bufnr, last, last, false, { "Abstract:We train sparse auto" })
local comp = request("textDocument/completion", last, 29)
out.completion = {}
for _, item in ipairs((comp and (comp.items or comp)) or {}) do
  table.insert(out.completion, item.label)
end
finish(true)
