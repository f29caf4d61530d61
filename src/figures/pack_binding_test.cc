// The default pack's figures all bind: every ledger, column and enum value they name exists.
#include <gtest/gtest.h>

#include "figures/engine.h"

namespace tz::figures {
namespace {

TEST(TownshipPackBinding, EveryFigureBinds) {
  auto files = pack::ReadPackDir("packs/township");
  ASSERT_TRUE(files.ok()) << files.status().message();
  auto catalog = pack::LoadPack(*files);
  ASSERT_TRUE(catalog.ok()) << catalog.status().message();
  auto engine = Engine::Create(*catalog);
  ASSERT_TRUE(engine.ok()) << engine.status().message();
  EXPECT_GE(catalog->figures.size(), 101u);
}

}  // namespace
}  // namespace tz::figures
