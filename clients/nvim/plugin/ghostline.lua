-- :Ghostline user command. Loaded at startup on every release from 0.7; it only defines the
-- command and loads nothing else until the command runs or setup() is called.
if vim.g.loaded_ghostline then
  return
end
vim.g.loaded_ghostline = true

local actions = { 'refactor', 'refactorWithInstruction', 'refactorVariants', 'explain', 'generateTests', 'fix', 'document' }

local subcommands = {
  start = function()
    local ghostline = require('ghostline')
    if not ghostline.did_setup then
      ghostline.setup({})
    end
    ghostline.attach_buffer(0)
  end,
  stop = function()
    require('ghostline').stop(false)
  end,
  restart = function()
    local ghostline = require('ghostline')
    ghostline.stop(true)
    vim.defer_fn(function()
      ghostline.attach_buffer(0)
    end, 500)
  end,
  stats = function()
    require('ghostline').stats()
  end,
  toggle = function()
    local ghost = require('ghostline.ghost')
    ghost.enabled = not ghost.enabled
    if not ghost.enabled then
      ghost.dismiss(0)
    end
    vim.notify('ghostline: ghost text ' .. (ghost.enabled and 'on' or 'off'))
  end,
  output = function()
    require('ghostline.stream').show_last()
  end,
  actions = function(command)
    local opts = {}
    if command.range > 0 then
      local last = vim.api.nvim_buf_get_lines(0, command.line2 - 1, command.line2, false)[1] or ''
      opts.range = { start = { command.line1, 0 }, ['end'] = { command.line2, #last } }
    end
    require('ghostline.actions').code_action(opts)
  end,
  action = function(command, args)
    local name = args[1]
    if not name then
      return require('ghostline.actions').code_action({})
    end
    local opts = { instruction = #args > 1 and table.concat(vim.list_slice(args, 2), ' ') or nil }
    if command.range > 0 then
      opts.line1, opts.line2 = command.line1, command.line2
    end
    require('ghostline.actions').run(name, opts)
  end,
  log = function()
    vim.cmd('edit ' .. vim.fn.fnameescape(vim.lsp.get_log_path()))
  end,
}

vim.api.nvim_create_user_command('Ghostline', function(command)
  local args = vim.split(command.args, '%s+', { trimempty = true })
  local name = table.remove(args, 1) or 'stats'
  local run = subcommands[name]
  if not run then
    vim.notify('ghostline: unknown subcommand ' .. name, vim.log.levels.ERROR)
    return
  end
  run(command, args)
end, {
  nargs = '*',
  range = true,
  desc = 'ghostline: start | stop | restart | stats | toggle | actions | action NAME | output | log',
  complete = function(arg_lead, line)
    local words = vim.split(line, '%s+', { trimempty = true })
    local candidates = vim.tbl_keys(subcommands)
    if (#words == 2 and arg_lead == '') or #words >= 3 then
      candidates = words[2] == 'action' and actions or {}
    end
    table.sort(candidates)
    return vim.tbl_filter(function(c)
      return c:sub(1, #arg_lead) == arg_lead
    end, candidates)
  end,
})
