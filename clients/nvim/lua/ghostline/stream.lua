-- Renders `ghostline/stream` notifications (model output of an action as it arrives) live in a
-- floating window, one scratch buffer per run id. `q` closes the window; the buffer stays listed
-- under :Ghostline output until Neovim exits.
local M = {}

--- Runs by id: { buf, win, action, done, error, text }.
M.runs = {}
M.last = nil

local function title(run)
  local state = run.error and ('failed: ' .. run.error) or (run.done and 'done' or 'streaming…')
  return string.format('ghostline · %s · %s', run.action or 'action', state)
end

local function float_size()
  local width = math.max(40, math.floor(vim.o.columns * 0.5))
  local height = math.max(6, math.floor(vim.o.lines * 0.4))
  return width, height
end

local function open_window(run)
  if run.win and vim.api.nvim_win_is_valid(run.win) then
    return
  end
  local width, height = float_size()
  local config = {
    relative = 'editor',
    anchor = 'NE',
    row = 1,
    col = vim.o.columns,
    width = width,
    height = height,
    style = 'minimal',
    border = 'rounded',
  }
  if vim.fn.has('nvim-0.9') == 1 then
    config.title = title(run)
  end
  run.win = vim.api.nvim_open_win(run.buf, false, config)
  vim.wo[run.win].wrap = true
end

local function retitle(run)
  if vim.fn.has('nvim-0.9') == 1 and run.win and vim.api.nvim_win_is_valid(run.win) then
    pcall(vim.api.nvim_win_set_config, run.win, { title = title(run) })
  end
  vim.b[run.buf].ghostline_stream_state = run.error and 'error' or (run.done and 'done' or 'streaming')
end

local function new_run(params)
  local buf = vim.api.nvim_create_buf(false, true)
  vim.bo[buf].filetype = 'markdown'
  vim.bo[buf].bufhidden = 'hide'
  pcall(vim.api.nvim_buf_set_name, buf, 'ghostline://' .. (params.action or 'action') .. '/' .. params.id)
  vim.keymap.set('n', 'q', '<Cmd>close<CR>', { buffer = buf, nowait = true, desc = 'Close the ghostline output' })
  local run = { buf = buf, action = params.action, done = false, text = '', notifications = 0 }
  M.runs[params.id] = run
  return run
end

--- Appends `text` to the end of the run's buffer, splitting it on newlines.
local function append(run, text)
  if text == '' then
    return
  end
  run.text = run.text .. text
  local pieces = vim.split(text, '\n', { plain = true })
  local last = vim.api.nvim_buf_line_count(run.buf) - 1
  local tail = vim.api.nvim_buf_get_lines(run.buf, last, last + 1, false)[1] or ''
  pieces[1] = tail .. pieces[1]
  vim.api.nvim_buf_set_lines(run.buf, last, last + 1, false, pieces)
  if run.win and vim.api.nvim_win_is_valid(run.win) then
    vim.api.nvim_win_set_cursor(run.win, { vim.api.nvim_buf_line_count(run.buf), 0 })
  end
end

--- The notification handler: function(err, params, ctx) on 0.7+ (handlers receive the params as result).
function M.handler(_, params)
  if type(params) ~= 'table' or params.id == nil then
    return
  end
  local run = M.runs[params.id] or new_run(params)
  M.last = params.id
  run.notifications = run.notifications + 1
  open_window(run)
  if params.restart then
    -- A fallback model starts over: what was streamed so far is dropped.
    run.text = ''
    vim.api.nvim_buf_set_lines(run.buf, 0, -1, false, { '' })
  end
  append(run, params.delta or '')
  if params.done then
    run.done = true
    if params.error then
      run.error = params.error
      append(run, (run.text == '' and '' or '\n\n') .. '[' .. params.error .. ']')
    elseif run.text == '' and params.final then
      append(run, params.final)
    end
  end
  retitle(run)
end

--- Reopens the window of the last run (:Ghostline output).
function M.show_last()
  local run = M.last and M.runs[M.last]
  if not run then
    require('ghostline.util').notify('no action output yet')
    return
  end
  if not vim.api.nvim_buf_is_valid(run.buf) then
    return
  end
  run.win = nil
  open_window(run)
  retitle(run)
end

return M
