import { test } from 'node:test';
import assert from 'node:assert/strict';
import { telexType } from './telex.ts';

test('Telex composes Vietnamese words with their tones in the right place', () => {
  const cases: [string, string][] = [
    ['Nguyeenx Thij Mai', 'Nguyễn Thị Mai'],
    ['hoaf', 'hòa'],
    ['dduwowngf', 'đường'],
    ['tieengs Vieetj', 'tiếng Việt'],
    ['cuar', 'của'],
    ['quyeets', 'quyết'],
    ['giaasy', 'giấy'],
    ['khoong', 'không'],
    ['phuwowng', 'phương'],
    ['thuyr', 'thủy'],
    ['DDaf Nawngx', 'Đà Nẵng'],
    ['Traanf Vawn Binhf', 'Trần Văn Bình'],
    ['ngoaif', 'ngoài'],
    ['w', 'ư'],
    ['Leex', 'Lễ'],
    ['Ddinhf', 'Đình'],
  ];
  for (const [keys, want] of cases) assert.equal(telexType(keys), want, keys);
});

test('the same mark twice undoes it; z clears the tone; other characters pass through', () => {
  assert.equal(telexType('ass'), 'as');
  assert.equal(telexType('aaa'), 'aa');
  assert.equal(telexType('ddd'), 'dd');
  assert.equal(telexType('asz'), 'a');
  assert.equal(telexType('12/3, Leej'), '12/3, Lệ');
  assert.equal(telexType('sms'), 'sms');
});
