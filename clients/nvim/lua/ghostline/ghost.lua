-- Inline ghost text for Neovim releases without native inline completion (0.7–0.11): asks the
-- server for `textDocument/inlineCompletion` as the user types, draws the suggestion with
-- extmarks, keeps it while the user types along it, and accepts it whole or word by word. On
-- accept the item's command (`ghostline.accept`) is sent, which is how the server counts accepts.
local util = require('ghostline.util')
local uv = vim.uv or vim.loop

local M = {}

local ns = vim.api.nvim_create_namespace('ghostline.ghost')
M.namespace = ns

--- Per buffer: { timer, request = {client, id}, suggestion = {...} }.
local states = {}

local function state(bufnr)
  states[bufnr] = states[bufnr] or {}
  return states[bufnr]
end

local function options()
  return require('ghostline.config').options.ghost_text
end

local function in_insert_mode()
  return vim.api.nvim_get_mode().mode:sub(1, 1) == 'i'
end

local function cursor()
  local pos = vim.api.nvim_win_get_cursor(0)
  return pos[1] - 1, pos[2]
end

local function stop_timer(st)
  if st.timer then
    st.timer:stop()
    st.timer:close()
    st.timer = nil
  end
end

local function cancel_request(st)
  if st.request then
    util.cancel(st.request.client, st.request.id)
    st.request = nil
  end
end

function M.clear(bufnr)
  local st = state(bufnr)
  st.suggestion = nil
  st.extmark = nil
  if vim.api.nvim_buf_is_valid(bufnr) then
    vim.api.nvim_buf_clear_namespace(bufnr, ns, 0, -1)
  end
end

--- The part of the suggestion not typed yet, or nil when the buffer no longer matches it.
local function remaining(bufnr, s)
  local row, col = cursor()
  if row ~= s.row or col < s.col then
    return nil
  end
  local typed = util.line(bufnr, row):sub(s.col + 1, col)
  if s.text:sub(1, #typed) ~= typed then
    return nil
  end
  return s.text:sub(#typed + 1), col
end

local function display(text)
  return (text:gsub('\t', string.rep(' ', vim.bo.tabstop)))
end

--- Draws the suggestion after the cursor; returns false (and clears) when it no longer fits.
function M.render(bufnr)
  local st = state(bufnr)
  local s = st.suggestion
  if not s then
    return false
  end
  local rest, col = remaining(bufnr, s)
  if not rest or rest == '' then
    M.clear(bufnr)
    return false
  end
  local hl = options().hl_group
  local lines = vim.split(rest, '\n', { plain = true })
  local mark = { virt_text = { { display(lines[1]), hl } }, hl_mode = 'combine' }
  local line = util.line(bufnr, s.row)
  if util.has('0.10') then
    mark.virt_text_pos = 'inline'
  else
    mark.virt_text_pos = col >= #line and 'overlay' or 'eol'
  end
  if #lines > 1 then
    mark.virt_lines = {}
    for i = 2, #lines do
      table.insert(mark.virt_lines, { { display(lines[i]), hl } })
    end
  end
  vim.api.nvim_buf_clear_namespace(bufnr, ns, 0, -1)
  st.extmark = vim.api.nvim_buf_set_extmark(bufnr, ns, s.row, col, mark)
  st.tick = vim.api.nvim_buf_get_changedtick(bufnr)
  st.cursor = col
  return true
end

--- Turns an InlineCompletionItem into the buffer's terms and shows it.
local function show(bufnr, client, item)
  local text = type(item.insertText) == 'table' and item.insertText.value or item.insertText
  if type(text) ~= 'string' or text == '' then
    return
  end
  local row, col = cursor()
  local line = util.line(bufnr, row)
  local start_col, end_col = col, col
  if item.range then
    if item.range.start.line ~= row or item.range['end'].line ~= row then
      return
    end
    start_col = util.byte_col(line, item.range.start.character, client.offset_encoding)
    end_col = util.byte_col(line, item.range['end'].character, client.offset_encoding)
  end
  if start_col > col or end_col < col then
    return
  end
  state(bufnr).suggestion = {
    client_id = client.id,
    text = text,
    row = row,
    col = start_col,
    -- Bytes after the cursor the item's range replaces; they stay after the cursor as the user types.
    tail = end_col - col,
    command = item.command,
  }
  M.render(bufnr)
end

--- Asks the server for a suggestion at the cursor. trigger: 1 invoked, 2 automatic.
function M.request(bufnr, trigger)
  local st = state(bufnr)
  local client = util.client(bufnr)
  if not client or not (client.server_capabilities or {}).inlineCompletionProvider then
    return
  end
  cancel_request(st)
  local params = vim.lsp.util.make_position_params(0, client.offset_encoding)
  params.context = { triggerKind = trigger or 2 }
  local tick = vim.api.nvim_buf_get_changedtick(bufnr)
  local row, col = cursor()
  local ok, id
  ok, id = util.request(client, 'textDocument/inlineCompletion', params, function(err, result)
    if st.request and st.request.id == id then
      st.request = nil
    end
    if err or not result or not in_insert_mode() or vim.api.nvim_get_current_buf() ~= bufnr then
      return
    end
    local now_row, now_col = cursor()
    if vim.api.nvim_buf_get_changedtick(bufnr) ~= tick or now_row ~= row or now_col ~= col then
      return
    end
    local items = result.items or result
    if items[1] then
      show(bufnr, client, items[1])
    end
  end, bufnr)
  if ok then
    st.request = { client = client, id = id }
  end
end

--- Called on every change in Insert mode: keep a suggestion the user types along, else ask again.
function M.on_change(bufnr)
  local st = state(bufnr)
  if st.suggestion and M.render(bufnr) then
    return
  end
  M.clear(bufnr)
  if not M.enabled or not options().enabled then
    return
  end
  stop_timer(st)
  st.timer = uv.new_timer()
  st.timer:start(options().debounce_ms or 50, 0, vim.schedule_wrap(function()
    stop_timer(st)
    if in_insert_mode() and vim.api.nvim_get_current_buf() == bufnr then
      M.request(bufnr, 2)
    end
  end))
end

M.enabled = true

function M.visible(bufnr)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  return states[bufnr] ~= nil and states[bufnr].extmark ~= nil
end

local function run_command(bufnr, s)
  local client = vim.lsp.get_client_by_id(s.client_id)
  if client and s.command then
    util.request(client, 'workspace/executeCommand', { command = s.command.command, arguments = s.command.arguments }, function() end, bufnr)
  end
end

--- Inserts the whole suggestion, moves the cursor after it and reports the accept.
function M.accept(bufnr)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  local st = state(bufnr)
  local s = st.suggestion
  if not s or not remaining(bufnr, s) then
    return false
  end
  local _, col = cursor()
  local line = util.line(bufnr, s.row)
  local lines = vim.split(s.text, '\n', { plain = true })
  M.clear(bufnr)
  vim.api.nvim_buf_set_text(bufnr, s.row, s.col, s.row, math.min(col + s.tail, #line), lines)
  local last_col = (#lines == 1 and s.col or 0) + #lines[#lines]
  vim.api.nvim_win_set_cursor(0, { s.row + #lines, last_col })
  run_command(bufnr, s)
  return true
end

--- Inserts the next word of the suggestion (or the line break and indentation before it).
function M.accept_word(bufnr)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  local st = state(bufnr)
  local s = st.suggestion
  local rest = s and remaining(bufnr, s)
  if not rest or rest == '' then
    return false
  end
  local word = rest:match('^\n[ \t]*') or rest:match('^[ \t]*[%w_]+') or rest:match('^[ \t]*[^%w_%s]+') or rest:match('^%s+')
  if #word >= #rest then
    return M.accept(bufnr)
  end
  local row, col = cursor()
  local pieces = vim.split(word, '\n', { plain = true })
  vim.api.nvim_buf_set_text(bufnr, row, col, row, col, pieces)
  local new_row = row + #pieces - 1
  local new_col = (#pieces == 1 and col or 0) + #pieces[#pieces]
  vim.api.nvim_win_set_cursor(0, { new_row + 1, new_col })
  -- Rebase the suggestion at the cursor: what is left of it stays as ghost text.
  s.text = rest:sub(#word + 1)
  s.row = new_row
  s.col = new_col
  M.render(bufnr)
  return true
end

function M.dismiss(bufnr)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  local st = state(bufnr)
  stop_timer(st)
  cancel_request(st)
  local had = st.extmark ~= nil
  M.clear(bufnr)
  return had
end

--- Starts ghost text in `bufnr`: autocmds on typing, cursor moves and leaving Insert mode.
function M.attach(bufnr)
  local group = vim.api.nvim_create_augroup('ghostline_ghost_' .. bufnr, { clear = true })
  vim.api.nvim_create_autocmd({ 'TextChangedI', 'TextChangedP' }, {
    group = group,
    buffer = bufnr,
    callback = function()
      M.on_change(bufnr)
    end,
  })
  vim.api.nvim_create_autocmd('CursorMovedI', {
    group = group,
    buffer = bufnr,
    callback = function()
      -- A move without an edit (arrows, mouse) invalidates the suggestion; edits are TextChangedI's.
      local st = state(bufnr)
      if st.extmark and st.tick == vim.api.nvim_buf_get_changedtick(bufnr) and select(2, cursor()) ~= st.cursor then
        M.dismiss(bufnr)
      end
    end,
  })
  vim.api.nvim_create_autocmd({ 'InsertLeave', 'BufLeave' }, {
    group = group,
    buffer = bufnr,
    callback = function()
      M.dismiss(bufnr)
    end,
  })
  vim.api.nvim_create_autocmd('BufUnload', {
    group = group,
    buffer = bufnr,
    callback = function()
      M.dismiss(bufnr)
      states[bufnr] = nil
      pcall(vim.api.nvim_del_augroup_by_id, group)
    end,
  })
end

function M.detach(bufnr)
  M.dismiss(bufnr)
  pcall(vim.api.nvim_del_augroup_by_name, 'ghostline_ghost_' .. bufnr)
  states[bufnr] = nil
end

return M
