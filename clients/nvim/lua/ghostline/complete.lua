-- A 'completefunc' (<C-x><C-u>) that inserts ghostline's completion items where their textEdit
-- ranges say, on every Neovim release. 0.7's stock omnifunc starts the match at the keyword
-- before the cursor and inserts newText there (`corner.` + `x` could become `corner..x` with a
-- range-based item; a multi-line item arrives as one line with NULs). Here the popup shows the
-- first line, and CompleteDone writes the whole newText over its range and reports the accept.
local util = require('ghostline.util')

local M = {}

--- Builds complete-items from a CompletionList; returns the 0-based start column and the items.
function M.to_complete_items(bufnr, client, result, row, col)
  local line = util.line(bufnr, row)
  local list = result.items or result
  local keyword_start = vim.fn.match(line:sub(1, col), '\\k*$')
  local entries = {}
  local start = col
  for _, item in ipairs(list) do
    local edit = item.textEdit
    local range = edit and (edit.range or edit.insert)
    local item_start, item_end, text = keyword_start, col, nil
    if range and range.start.line == row and range['end'].line == row then
      item_start = util.byte_col(line, range.start.character, client.offset_encoding)
      item_end = math.max(col, util.byte_col(line, range['end'].character, client.offset_encoding))
      text = edit.newText
    else
      text = item.insertText or item.label
    end
    if item_start <= col then
      table.insert(entries, { item = item, start = item_start, tail = item_end - col, text = text })
      start = math.min(start, item_start)
    end
  end
  local matches = {}
  for _, entry in ipairs(entries) do
    -- Items starting after the common start carry the buffer text in between.
    local full = line:sub(start + 1, entry.start) .. entry.text
    local first = vim.split(full, '\n', { plain = true })[1]
    table.insert(matches, {
      word = first,
      abbr = entry.item.label,
      menu = entry.item.detail or '[ghostline]',
      info = type(entry.item.documentation) == 'table' and entry.item.documentation.value or entry.item.documentation or '',
      icase = 1,
      dup = 1,
      empty = 1,
      user_data = {
        ghostline = { client_id = client.id, text = full, start = start, tail = entry.tail, command = entry.item.command },
      },
    })
  end
  return start, matches
end

--- The 'completefunc'. Like vim.lsp.omnifunc it answers the first call with -2 (stay in
--- completion mode) and fills the popup with complete() when the server answers.
function M.completefunc(findstart, _)
  if findstart ~= 1 then
    return {}
  end
  local bufnr = vim.api.nvim_get_current_buf()
  local client = util.client(bufnr)
  if not client then
    return -3
  end
  local win = vim.api.nvim_get_current_win()
  local pos = vim.api.nvim_win_get_cursor(win)
  local row, col = pos[1] - 1, pos[2]
  local tick = vim.api.nvim_buf_get_changedtick(bufnr)
  local params = vim.lsp.util.make_position_params(win, client.offset_encoding)
  params.context = { triggerKind = 1 }
  util.request(client, 'textDocument/completion', params, function(err, result)
    if err or not result or vim.fn.mode() ~= 'i' or vim.api.nvim_get_current_buf() ~= bufnr then
      return
    end
    local now = vim.api.nvim_win_get_cursor(0)
    if now[1] - 1 ~= row or now[2] ~= col or vim.api.nvim_buf_get_changedtick(bufnr) ~= tick then
      return
    end
    local start, matches = M.to_complete_items(bufnr, client, result, row, col)
    if #matches > 0 then
      vim.fn.complete(start + 1, matches)
    end
  end, bufnr)
  return -2
end

local function execute(client, command, bufnr)
  if client and command and command.command then
    util.request(client, 'workspace/executeCommand', { command = command.command, arguments = command.arguments }, function() end, bufnr)
  end
end

--- CompleteDone: finish a ghostline item (multi-line text, replaced tail) and report the accept.
function M.on_complete_done(bufnr)
  local completed = vim.v.completed_item
  local data = type(completed) == 'table' and completed.user_data
  if type(data) ~= 'table' then
    return
  end
  local reason = vim.v.event and vim.v.event.reason
  if reason ~= nil and reason ~= 'accept' then
    return
  end
  local ours = data.ghostline
  if ours then
    local pos = vim.api.nvim_win_get_cursor(0)
    local row, col = pos[1] - 1, pos[2]
    local line = util.line(bufnr, row)
    if line:sub(ours.start + 1, col) ~= completed.word then
      return
    end
    if ours.text ~= completed.word or ours.tail > 0 then
      local lines = vim.split(ours.text, '\n', { plain = true })
      vim.api.nvim_buf_set_text(bufnr, row, ours.start, row, math.min(col + ours.tail, #line), lines)
      vim.api.nvim_win_set_cursor(0, { row + #lines, (#lines == 1 and ours.start or 0) + #lines[#lines] })
    end
    execute(vim.lsp.get_client_by_id(ours.client_id), ours.command, bufnr)
    return
  end
  -- Items from vim.lsp.omnifunc before 0.11, which never runs an item's command.
  local item = not util.has('0.11') and vim.tbl_get and vim.tbl_get(data, 'nvim', 'lsp', 'completion_item')
  if type(item) == 'table' and type(item.command) == 'table' and item.command.command == 'ghostline.accept' then
    execute(util.client(bufnr), item.command, bufnr)
  end
end

return M
