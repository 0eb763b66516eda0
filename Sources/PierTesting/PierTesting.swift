import MCPCore
