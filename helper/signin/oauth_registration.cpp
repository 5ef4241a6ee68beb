#include "helper/signin/oauth_registration.hpp"

#include <algorithm>

namespace patrol::helper {

std::string configure_command(const oauth::OAuthPreset* preset, std::string_view origin) {
  std::string command = "git credential-patrol configure --oauth ";
  command.append(origin).append(" CLIENT_ID");
  if (preset != nullptr && preset->refresh_needs_secret) {
    command.append(" [CLIENT_SECRET]");
  }
  return command;
}

std::string registration_steps(const oauth::OAuthPreset* preset, std::string_view origin) {
  std::string text;
  if (preset == nullptr) {
    text.append("  on that server, a public (not confidential) client with the device "
                "authorization grant\n  then   ")
        .append(configure_command(preset, origin));
    return text;
  }
  text.append("  open   ").append(origin).append(preset->applications_path);
  if (!preset->admin_applications_path.empty()) {
    text.append("\n         (an admin may instead register it for everyone at ")
        .append(origin)
        .append(preset->admin_applications_path)
        .append(")");
  }
  text.append("\n  enter");
  std::string_view rest = preset->registration;
  while (!rest.empty()) {
    const std::size_t end = std::min(rest.find('\n'), rest.size());
    text.append("\n    ").append(rest.substr(0, end));
    rest.remove_prefix(std::min(end + 1, rest.size()));
  }
  text.append("\n  then   ").append(configure_command(preset, origin));
  if (preset->refresh_needs_secret) {
    text.append("\n         (the app's client secret too if its tokens expire: refreshing "
                "them needs it; it is kept for this host alone and never shown)");
  }
  return text;
}

std::string registration_hint(const oauth::OAuthPreset& preset, std::string_view origin) {
  return "no OAuth client id for " + std::string(origin) +
         ", so no sign-in in the browser: " + "register an application at " + std::string(origin) +
         std::string(preset.applications_path) + " (`git credential-patrol login --oauth " +
         std::string(origin) + "` lists what to enter), then `" +
         configure_command(&preset, origin) + "`; patrol.oauth=never silences this";
}

} // namespace patrol::helper
