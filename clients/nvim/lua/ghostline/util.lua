-- Small helpers shared by the ghostline modules: Neovim version checks, finding the ghostline
-- client of a buffer, and converting LSP positions (UTF-16 by default) to byte columns, with the
-- API each Neovim release from 0.7 to 0.12 offers.
local M = {}

M.name = 'ghostline'

--- True when the running Neovim is at least `version` ('0.10', '0.11', ...).
function M.has(version)
  return vim.fn.has('nvim-' .. version) == 1
end

--- The ghostline clients attached to `bufnr`. Before 0.10 this reads `attached_buffers` itself:
--- buf_get_clients() validates its argument on every call, and this runs on every keystroke.
function M.clients(bufnr)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  local found = {}
  local all = vim.lsp.get_clients and vim.lsp.get_clients({ bufnr = bufnr, name = M.name }) or vim.lsp.get_active_clients()
  for _, client in ipairs(all) do
    -- get_clients (0.10+) returns only running clients attached to bufnr.
    local usable = vim.lsp.get_clients ~= nil or ((client.attached_buffers or {})[bufnr] and not client.is_stopped())
    if client.name == M.name and usable then
      table.insert(found, client)
    end
  end
  return found
end

--- The first ghostline client attached to `bufnr`, or nil.
function M.client(bufnr)
  return M.clients(bufnr)[1]
end

--- Sends a request with the method-call syntax of 0.11+ or the function fields of 0.7–0.10.
function M.request(client, method, params, handler, bufnr)
  if M.has('0.11') then
    return client:request(method, params, handler, bufnr)
  end
  return client.request(method, params, handler, bufnr)
end

function M.cancel(client, request_id)
  if not request_id then
    return
  end
  if M.has('0.11') then
    pcall(client.cancel_request, client, request_id)
  else
    pcall(client.cancel_request, request_id)
  end
end

--- Byte column of an LSP `character` on `line` in the client's encoding; clamps past the end.
function M.byte_col(line, character, encoding)
  if encoding == 'utf-8' then
    return math.min(character, #line)
  end
  local ok, col
  if M.has('0.11') then
    ok, col = pcall(vim.str_byteindex, line, encoding or 'utf-16', character, false)
  else
    ok, col = pcall(vim.str_byteindex, line, character, encoding ~= 'utf-32')
  end
  if not ok or col == nil then
    return #line
  end
  return col
end

--- LSP `character` of a byte column on `line` in the client's encoding.
function M.lsp_col(line, col, encoding)
  if encoding == 'utf-8' then
    return col
  end
  if M.has('0.11') then
    return vim.str_utfindex(line, encoding or 'utf-16', col, false)
  end
  local utf32, utf16 = vim.str_utfindex(line, col)
  return encoding == 'utf-32' and utf32 or utf16
end

function M.line(bufnr, row)
  return vim.api.nvim_buf_get_lines(bufnr, row, row + 1, false)[1] or ''
end

--- The document version Neovim last sent for `bufnr` (code-action edits are versioned against it).
function M.version(bufnr)
  local versions = vim.lsp.util.buf_versions
  return (versions and versions[bufnr]) or vim.api.nvim_buf_get_changedtick(bufnr)
end

--- Finds the project root above `path`: the first directory holding one of `markers`.
function M.root(path, markers)
  local dir = vim.fn.fnamemodify(path, ':p:h')
  for _, marker in ipairs(markers or {}) do
    local hit = vim.fn.finddir(marker, dir .. ';')
    if hit == '' then
      hit = vim.fn.findfile(marker, dir .. ';')
    end
    if hit ~= '' then
      return M.parent_of(hit)
    end
  end
  return dir
end

--- The directory that contains the marker `hit` (a file or a directory).
function M.parent_of(hit)
  local full = vim.fn.fnamemodify(hit, ':p'):gsub('/$', '')
  return vim.fn.fnamemodify(full, ':h')
end

function M.notify(message, level)
  vim.notify('ghostline: ' .. message, level or vim.log.levels.INFO)
end

return M
